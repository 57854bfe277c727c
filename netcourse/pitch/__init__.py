"""The introduction ("pitch") a student gives at a networking event: parts, analysis, tailoring, plan.

The article (after the University of Utah) says an introduction is "more than just their name".
This package turns that into checks a student can run on every keystroke, one concern a module:

* :mod:`~netcourse.pitch.text` -- words, sentences, questions, speaking time, pace/length limits;
* :mod:`~netcourse.pitch.parts` -- the seven parts (:data:`PARTS`) and a :class:`Pitch` written part by part;
* :mod:`~netcourse.pitch.cues` -- the cue phrases that find parts, the name, fillers and jargon in a free draft;
* :mod:`~netcourse.pitch.analysis` -- :func:`analyse`, which returns a :class:`PitchReport` (with offsets);
* :mod:`~netcourse.pitch.coach` -- the suggestions: favour-asks and yes/no questions with rewrites, what next;
* :mod:`~netcourse.pitch.audiences` -- the audiences of ``data/audiences.json`` (no analysis imported);
* :mod:`~netcourse.pitch.tailoring` -- :func:`tailor`: what to emphasise for one audience;
* :mod:`~netcourse.pitch.plan` -- :func:`plan_conversation` and :func:`follow_up_message`;
* :mod:`~netcourse.pitch.export` -- :func:`to_markdown` and :func:`to_plain_text`;
* :mod:`~netcourse.pitch.drafts` -- the saved-draft format, checked against its schema on load;
* :mod:`~netcourse.pitch.history` -- a draft's earlier saved versions and what changed, word by word.

Pure logic: no widgets, no files written (the studio saves through :mod:`netcourse.storage`).
``from netcourse.pitch import analyse`` works for every public name below; each is imported from
its module on first use, so ``import netcourse.pitch.audiences`` does not load the analyser.
"""

from __future__ import annotations

from netcourse._exports import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(__name__, {
    "text": ("DEFAULT_PACE_WPM", "MIN_PACE_WPM", "MAX_PACE_WPM", "DEFAULT_TARGET_SECONDS", "TARGET_CHOICES",
             "MIN_TARGET_SECONDS", "MAX_TARGET_SECONDS", "BREATH_WORDS", "MAX_DRAFT_CHARS", "count_words",
             "split_sentences", "sentence_spans", "is_question", "shorten", "excerpt", "speaking_seconds"),
    "parts": ("MAX_QUESTIONS", "PARTS", "PART_IDS", "PartSpec", "part_spec", "Pitch"),
    "cues": ("guess_name", "INTRO_ELEMENTS"),
    "analysis": ("SEVERITIES", "TOO_LONG_TOLERANCE", "TOO_SHORT_SHARE", "LATER_PARTS", "Suggestion", "QuestionCheck",
                 "PitchReport", "analyse"),
    "audiences": ("AUDIENCES_FILE", "AUDIENCES_FORMAT", "AudienceError", "Emphasis", "Audience", "parse_audiences",
                  "load_audiences", "get_audience"),
    "tailoring": ("OutlineLine", "Tailoring", "tailor"),
    "plan": ("STAGES", "ConversationPlan", "plan_conversation", "follow_up_message"),
    "export": ("ExportBundle", "to_markdown", "to_plain_text"),
    "drafts": ("DRAFT_KIND", "DRAFT_FORMAT", "MAX_SAVED_CHARS", "draft_from_dict", "target_for", "too_long_to_save"),
    "history": ("HISTORY_LIMIT", "Version", "Change", "word_change", "changes", "next_history"),
})
