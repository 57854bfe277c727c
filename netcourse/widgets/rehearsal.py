"""The rehearsal timer of the pitch studio: press, read the introduction aloud, press again to see the pace.

:class:`Rehearsal` owns a toggle button and a panel. It asks its owner for a :class:`Script`
(words, text, chosen pace and target) whenever it needs one, reads time from an injectable
``clock`` (tests drive it by hand) and, in a running kernel, ticks twice a second while the
student reads. After Stop, :attr:`Rehearsal.result` holds seconds, words a minute and pace, and
:attr:`Rehearsal.outcome` says how it went ("on-pace", "too-fast", "too-slow", "too-short", "no-text").
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

import ipywidgets as widgets

from netcourse.widgets.render import render

# Within this share of the chosen pace counts as "on pace" when rehearsing.
PACE_TOLERANCE = 0.10
# A rehearsal shorter than this cannot be measured.
MIN_SECONDS = 2


@dataclass(frozen=True)
class Script:
    """What is being rehearsed: the word count, the text (read only while ticking), pace and target."""

    words: int
    pace_wpm: int
    target_seconds: int
    expected_seconds: float
    spoken: Callable[[], str] = str

    @property
    def text(self) -> str:
        return self.spoken()


class Rehearsal:
    """A Start/Stop toggle and the panel that shows elapsed time, position and the measured pace."""

    def __init__(self, script: Callable[[], Script], clock: Callable[[], float], layout: widgets.Layout):
        self._script = script
        self._clock = clock
        self.result: dict[str, float] | None = None
        self.outcome = "idle"
        self.position = 0  # the word the reader should be at, as last shown
        self._started: float | None = None
        self._ticker: asyncio.Task | None = None
        self.button = widgets.ToggleButton(
            value=False,
            description="Start rehearsal",
            tooltip="Press, read your introduction aloud, press again to see your pace",
            icon="play",
        )
        self.panel = widgets.HTML(layout=layout)
        self.button.observe(self._on_toggle, names="value")

    @property
    def running(self) -> bool:
        return self._started is not None

    def show_idle(self) -> None:
        """The invitation to rehearse, unless a rehearsal is running or its result is on show."""
        if self._started is None and self.result is None:
            script = self._script()
            self.panel.value = render("rehearsal.html", "idle", pace=script.pace_wpm,
                                      seconds=script.expected_seconds)

    def _on_toggle(self, change: dict) -> None:
        if change["new"]:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        self.result = None
        self.outcome = "running"
        self._started = self._clock()
        self.button.description = "Stop rehearsal"
        self.button.icon = "stop"
        self.tick()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (tests, plain Python): the display updates on Stop
            return
        self._ticker = loop.create_task(self._tick_while_running())

    async def _tick_while_running(self) -> None:
        while self._started is not None:
            await asyncio.sleep(0.5)
            self.tick()

    def tick(self) -> None:
        """Show the time so far and where, at the chosen pace, the reader should be."""
        if self._started is None:
            return
        elapsed = self._clock() - self._started
        script = self._script()
        expected = min(script.words, int(script.pace_wpm * elapsed / 60))
        text = script.text.split()
        cue = " ".join(text[max(0, expected - 4): expected]) if expected and text else ""
        self.position = expected
        self.panel.value = render("rehearsal.html", "running", elapsed=elapsed, pace=script.pace_wpm,
                                  expected=expected, words=script.words, cue=cue)

    def stop(self) -> None:
        started, self._started = self._started, None
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        self.button.description = "Start rehearsal"
        self.button.icon = "play"
        if started is None:
            return
        elapsed = self._clock() - started
        script = self._script()
        if script.words == 0:
            self.outcome = "no-text"
            self.panel.value = render("rehearsal.html", "no_text")
            return
        if elapsed < MIN_SECONDS:
            self.outcome = "too-short"
            self.panel.value = render("rehearsal.html", "too_short", elapsed=elapsed)
            return
        wpm = script.words / elapsed * 60
        pace = script.pace_wpm
        self.result = {"seconds": round(elapsed, 1), "wpm": round(wpm), "pace": pace}
        if wpm > pace * (1 + PACE_TOLERANCE):
            self.outcome = "too-fast"
            verdict = f"faster than your {pace} words/min pace: slow down and breathe between sentences."
        elif wpm < pace * (1 - PACE_TOLERANCE):
            self.outcome = "too-slow"
            verdict = f"slower than your {pace} words/min pace: practise until it flows (or cut a sentence)."
        else:
            self.outcome = "on-pace"
            verdict = f"on your {pace} words/min pace."
        target = script.target_seconds
        length = f"{elapsed - target:.0f} s over" if elapsed > target else f"{target - elapsed:.0f} s under"
        self.panel.value = render("rehearsal.html", "result", elapsed=elapsed, words=script.words, wpm=round(wpm),
                                  verdict=verdict, length=length, target=target)
