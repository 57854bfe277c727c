"""netcourse: the "Networking and Opportunity" course module for medical students.

The package holds the article's facts as data (:mod:`netcourse.content`), pure logic
for each tool, and ipywidgets apps built over that logic. Notebooks import from here
and stay thin.
"""

__version__ = "0.1.0"
