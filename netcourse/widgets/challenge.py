"""ChallengeBox: the answer cell under a lesson's challenge, with its rubric as a self-check.

The student writes in the box, ticks the rubric's points their answer meets and presses
*Check my answer*: :func:`netcourse.practice.challenges.self_check` says what is there and what to
look at again. *Save* keeps the answer (and the ticks) as Markdown in ``my-networking/challenges/``,
atomically, with a download link; reopening the lesson brings the saved answer back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from netcourse import storage
from netcourse.practice.challenges import Challenge, SelfCheck, challenge, challenge_markdown, self_check
from netcourse.widgets.alerts import message_html
from netcourse.widgets.downloads import download_links
from netcourse.widgets.render import render

_SELF_CHECK = "## Self-check"


def answer_markdown(item: Challenge, text: str, ticked: set[str]) -> str:
    """What Save writes: the answer, then the rubric with the student's ticks."""
    lines = [f"# Challenge: {item.title}", "", text.strip(), "", _SELF_CHECK, ""]
    lines += [f"- [{'x' if c.id in ticked else ' '}] {c.text}" for c in item.rubric]
    return "\n".join(lines) + "\n"


def answer_from_markdown(item: Challenge, saved: str) -> tuple[str, set[str]]:
    """The answer and ticks back from :func:`answer_markdown`'s text (a hand-edited file too)."""
    body = saved.split("\n", 1)[1] if saved.startswith("# Challenge:") else saved
    answer, _, rubric = body.partition(f"\n{_SELF_CHECK}\n")
    ticked = {c.id for c in item.rubric if f"- [x] {c.text}" in rubric}
    return answer.strip(), ticked


class ChallengeBox:
    """An answer box, the rubric's points to tick, Check and Save, for one challenge."""

    def __init__(self, item: Challenge, *, folder: Path | str | None = None):
        self.item = item
        self.folder = storage.tool_dir("challenges", folder)
        self.last_check: SelfCheck | None = None
        self._loading = False
        self.header = widgets.HTML(render("practice.html", "challenge_header", title=item.title))
        self.answer = widgets.Textarea(placeholder=item.placeholder, description="Your answer",
                                       tooltip=f"Write your answer to the challenge: {item.title}",
                                       style={"description_width": "initial"},
                                       layout=widgets.Layout(width="98%", height="9em"))
        self.boxes = {c.id: widgets.Checkbox(value=False, description=c.text, indent=False,
                                             tooltip=f"Tick when your answer does this: {c.text}",
                                             layout=widgets.Layout(width="auto"))
                      for c in item.rubric}
        self.check_button = widgets.Button(description="Check my answer", icon="check", button_style="primary",
                                           tooltip="Compare your answer with the rubric",
                                           layout=widgets.Layout(width="auto"))
        self.save_button = widgets.Button(description="Save", icon="save", tooltip="Keep your answer as a file")
        self.feedback = widgets.HTML()
        self.status = widgets.HTML()
        self.downloads = widgets.HTML()
        self.check_button.on_click(lambda _b: self.check())
        self.save_button.on_click(lambda _b: self.save())
        self.answer.observe(self._changed, names="value")
        for box in self.boxes.values():
            box.observe(self._changed, names="value")
        self.container = widgets.VBox(
            [self.header, self.answer, widgets.HTML("<b>Does your answer do this?</b> Tick each point it meets."),
             *self.boxes.values(), widgets.HBox([self.check_button, self.save_button]), self.feedback,
             self.status, self.downloads],
            layout=widgets.Layout(border="1px solid #d0d7de", padding="8px", margin="8px 0"))
        self._restore()

    @classmethod
    def named(cls, name: str, **kwargs: Any) -> ChallengeBox:
        return cls(challenge(name), **kwargs)

    @property
    def path(self) -> Path:
        return self.folder / f"{self.item.id}.md"

    def ticked(self) -> set[str]:
        return {cid for cid, box in self.boxes.items() if box.value}

    def check(self) -> SelfCheck:
        self.last_check = result = self_check(self.item, self.answer.value, self.ticked())
        self.feedback.value = render("practice.html", "self_check", result=result)
        return result

    def save(self) -> Path | None:
        if not self.answer.value.strip():
            self.status.value = message_html("Write your answer first; there is nothing to save yet.", "tip")
            return None
        try:
            path = storage.atomic_write_text(self.path, answer_markdown(self.item, self.answer.value, self.ticked()))
        except storage.StorageError as exc:
            self.status.value = message_html(str(exc), "error")
            return None
        self.status.value = message_html(f"Saved {path.name} in {path.parent}.")
        self.downloads.value = download_links([path])
        return path

    def _changed(self, _change: Any) -> None:
        if not self._loading and self.last_check is not None:  # an old verdict would describe another answer
            self.last_check = None
            self.feedback.value = ""

    def _restore(self) -> None:
        try:
            saved = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError):
            self.status.value = message_html(f"Your saved answer {self.path.name} could not be read; "
                                             "the box starts empty.", "error")
            return
        text, ticked = answer_from_markdown(self.item, saved)
        self._loading = True
        try:
            self.answer.value = text
            for cid, box in self.boxes.items():
                box.value = cid in ticked
        finally:
            self._loading = False
        self.status.value = message_html(f"Your saved answer ({self.path.name}) is back in the box.")

    def _repr_mimebundle_(self, **kwargs: Any):
        bundle = self.container._repr_mimebundle_(**kwargs)
        text = challenge_markdown(self.item)
        bundle["text/markdown"] = text
        bundle["text/plain"] = text
        return bundle
