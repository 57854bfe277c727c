"""The course hub's own logic, shared by provision.py, jupyterhub_config.py and the formgrader's Jupyter config.

* :mod:`coursehub.exchange`: the nbgrader exchange folders, made by root before any student can, and checked at start;
* :mod:`coursehub.roster`: the roster as the truth at every start (groups, roles, blocked users, stale servers);
* :mod:`coursehub.staff`: what a teaching assistant may do in the formgrader, and the guard that enforces it.

These modules import no ``netcourse`` code: on Kubernetes they run in the hub's own image.
"""
