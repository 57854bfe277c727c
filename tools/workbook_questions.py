"""The workbook's questions as data: scenes and their choices, checks of the student's own work, and
written answers with their exemplars. tools/build_workbook.py turns them into notebooks.

Each decision's reason (``why``) is the hidden test's message and the answer key's line. Answers are
spread over the letters so that no position wins by default. Every scene is about a skill a lesson
teaches; the grade ids match netcourse/data/objectives.json, which says which objectives each assesses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

RUBRICS = json.loads((Path(__file__).resolve().parent.parent / "netcourse" / "data" / "rubrics.json")
                     .read_text(encoding="utf-8"))["rubrics"]


@dataclass(frozen=True)
class Scene:
    grade_id: str
    name: str  # the variable the student sets
    title: str
    text: str
    answer: str
    why: str
    docstring: str
    example: str = "b"  # the letter the format message shows (never the answer)
    options: tuple = ()  # when the scene has its own choices
    order: bool = False  # the answer is several letters in order


@dataclass(frozen=True)
class Decision:
    id: str
    intro: str
    scenes: tuple[Scene, ...]
    shared_options: tuple = ()


@dataclass(frozen=True)
class Test:
    grade_id: str
    docstring: str
    visible: str
    hidden: str = ""
    points: int = 1


@dataclass(frozen=True)
class Exemplar:
    label: str  # strong, borderline, weak
    text: str
    marks: dict  # criterion id -> 0/1, with a reason


@dataclass(frozen=True)
class Written:
    grade_id: str
    prompt: str
    exemplars: tuple[Exemplar, ...]
    solution: str = ""

    @property
    def rubric(self) -> dict:
        return RUBRICS[self.grade_id]

    @property
    def points(self) -> int:
        return len(self.rubric["criteria"])

    def prompt_md(self) -> str:
        criteria = "\n".join(f"{n}. {c['text']}" for n, c in enumerate(self.rubric["criteria"], start=1))
        scheme = [f"One point per criterion ({self.points}); a criterion is met or not, never half.", ""]
        for ex in self.exemplars:
            earned = sum(mark for mark, _ in ex.marks.values())
            scheme.append(f"**{ex.label.capitalize()} ({earned}/{self.points}):**")
            scheme += ["", "> " + ex.text.replace("\n", "\n> "), ""]
            for n, c in enumerate(self.rubric["criteria"], start=1):
                mark, reason = ex.marks[c["id"]]
                scheme.append(f"- {n}. {c['id']}: {mark}. {reason}")
            scheme.append("")
        return (f"{self.prompt.strip()}\n\n**How it is marked ({self.points} points, one per line):**\n\n{criteria}\n\n"
                "=== BEGIN MARK SCHEME ===\n" + "\n".join(scheme).rstrip() + "\n=== END MARK SCHEME ===")


@dataclass(frozen=True)
class OwnWork:
    """The student's own text or plan, checked by the course's functions (and, if written, marked too)."""

    id: str
    intro: str
    answer: str
    tests: tuple[Test, ...]
    written: Written | None = None
    preview: str = ""


@dataclass(frozen=True)
class Notebook:
    name: str
    intro: str
    setup: str
    parts: tuple
    outro: str


HOW_TO = """
**How to answer.** Most questions are a choice: write the letter between the quotes, for example
`etiquette_a = "b"`, delete the line `raise NotImplementedError()`, and run the cell with
**Shift + Enter**. Then run the `check(...)` cell below it: it says whether your answer has the right
form. Whether a choice is *right* is marked when you hand in (the lessons' practice boxes give
instant feedback on similar cases; studying on your own, compare with `autograder/answer-key.md`
afterwards). Everything you need to type is in the *Python for the workbook* primer
(`notebooks/python_primer.ipynb`, 15 minutes), and every idea is in the lessons.
""".strip()

SETUP = """
from netcourse.selfcheck import check, score
from netcourse.workbook import choice, funding_gap_now, is_choice, letters_in_order, pitch_check, question_check
""".strip()

ETIQUETTE_OPTIONS = (("a", "Introducing oneself"), ("b", "Communicating goals"), ("c", "Preparing questions"),
                     ("d", "Being engaged (active listening)"))
HARVARD_OPTIONS = (("a", "Identify your audience"), ("b", "Keep the conversation brief"),
                   ("c", "Practise conversations and transitions"), ("d", "Meet many people"),
                   ("e", "Use online platforms"))
LEVEL_OPTIONS = (("a", "School (institutional)"), ("b", "Local (county and state)"), ("c", "National"))
BENEFIT_OPTIONS = (("a", "Insight and advice"), ("b", "Research opportunities"), ("c", "Mentorship"),
                   ("d", "Referrals to faculty or physicians"), ("e", "Introductions to other events"),
                   ("f", "Shadowing and clinical opportunities"))
ROUTE_OPTIONS = (("a", "School chapter organisations"), ("b", "School leadership (dean's office, student affairs)"),
                 ("c", "The local (county) medical society"), ("d", "State or local specialty societies"),
                 ("e", "The event's own scholarships"))

# ------------------------------------------------------------------------------------------------ workbook 1

PITCH_EXEMPLARS = (
    Exemplar("strong", 'my_audience = "physician"\nmy_pitch = """Hi Dr. Ruiz, I\'m Ada Okafor, a second-year at '
             'Rowan. I volunteered for three years at a free clinic in Camden, which is where family medicine '
             'grabbed me. I came tonight hoping to learn how physicians here fit community projects into clinic '
             'work. How did you first get involved in the county\'s outreach?"""',
             {"tailored": (1, "Asks about this physician's county outreach: it would change for a resident."),
              "background": (1, "Three years at a named free clinic."),
              "goal-passion": (1, "What she hopes to learn tonight, and where the interest comes from."),
              "spoken": (1, "Short spoken sentences; ends with an open question, no favour.")}),
    Exemplar("borderline", 'my_audience = "resident"\nmy_pitch = """Hello, my name is Ben Adams and I am a '
             'first-year student at Rowan. I have always liked medicine and I am interested in surgery because '
             'it is exciting. I am here to network. Do you like your residency?"""',
             {"tailored": (0, "Nothing in it is about residents or this resident; it fits anyone."),
              "background": (0, "'Always liked medicine' is not a concrete detail."),
              "goal-passion": (1, "A reason (to network) and a passion (surgery), thin but both present."),
              "spoken": (1, "Spoken and courteous; the yes/no ending is weak but it hands over, no favour.")}),
    Exemplar("weak", 'my_audience = "leader"\nmy_pitch = """Hi, um, so I\'m Cy. I need research for my CV and I '
             'heard you have positions. Can you get me a research position this summer?"""',
             {"tailored": (0, "No sign of who the leader is or what the society does."),
              "background": (0, "No year, school or background."),
              "goal-passion": (0, "A need, not a goal or passion."),
              "spoken": (0, "Filler ('um, so') and it ends by asking a favour.")}),
)

QUESTION_EXEMPLARS = (
    Exemplar("strong", 'my_questions = [\n    "How do you see rural family medicine changing over the next ten '
             'years?",\n    "How did you know family medicine was the right fit for you?",\n    "Which local '
             'projects would welcome a student volunteer this summer?",\n]',
             {"types": (1, "Field, journey, opportunity: one of each."),
              "fit": (1, "Each makes sense for a family physician in the county.")}),
    Exemplar("borderline", 'my_questions = [\n    "What is the hardest part of your work?",\n    "How did you '
             'choose your specialty?",\n    "What do you do on weekends?",\n]',
             {"types": (0, "No question about an experience or opportunity they might know of."),
              "fit": (1, "The questions fit a physician, though loosely.")}),
    Exemplar("weak", 'my_questions = [\n    "Do you like your job?",\n    "Can you get me a shadowing spot?",\n'
             '    "What time is it?",\n]',
             {"types": (0, "A yes/no question, a favour and an unrelated question."),
              "fit": (0, "Could be asked of anyone, anywhere.")}),
)

PITCH = OwnWork(
    id="pitch",
    intro="""
## 5. Your own introduction (8 points)

Now write the introduction you would really give. First choose whom you will speak to: set
`my_audience` to one of `"student"` (45 seconds), `"resident"` (45 seconds), `"physician"` (30 seconds)
or `"leader"` (45 seconds; a society or committee leader). Then write your introduction for that
person between the triple quotes of `my_pitch`. Lesson 2 taught its parts: who you are (name, year
and school, background), why you are here (your reason or goal, and your passion), brief enough for
the audience, ending by handing over with an **open question**, not a favour (lesson 3).

The computer checks four things with the same analysis as lesson 2's Pitch Studio (1 point each); a
person marks the rest (4 points): whether it is tailored, specific, motivated and sounds spoken.
""",
    answer='my_audience = ""\nmy_pitch = """Write your introduction here."""\n### BEGIN SOLUTION\n'
           'my_audience = "physician"\nmy_pitch = """Hi Dr. Ruiz, I\'m Ada Okafor, a second-year student at Rowan. '
           "I volunteered at a free clinic for three years, which is where my passion for family medicine began. "
           "I came tonight hoping to learn how physicians here combine clinic work with community projects. "
           'How did you first get involved in the county\'s outreach work?"""\n### END SOLUTION',
    preview="# Run this to see what the checks below will find in your introduction (change it and run again).\n"
            "pitch_check(my_pitch, my_audience)",
    written=Written("my-pitch", """
### Marked by a person (4 points)

Your introduction in the cell below is also read by your instructor, with the four criteria listed
here. After writing, tick the criteria you think you meet in the box under it: it saves your
self-assessment with your work (useful when you study on your own).
""", PITCH_EXEMPLARS),
    tests=(
        Test("pitch-fit", "Your introduction is brief enough for the audience you chose (lesson 2: keep it brief).",
             'assert pitch_check(my_pitch, my_audience).fits, str(pitch_check(my_pitch, my_audience))'),
        Test("pitch-who", "Your introduction says who you are: name, year and school, and a line of background.",
             'assert pitch_check(my_pitch, my_audience).says_who, str(pitch_check(my_pitch, my_audience))'),
        Test("pitch-why", "Your introduction says why you are here (a reason or goal) and your passion.",
             'assert pitch_check(my_pitch, my_audience).says_why, str(pitch_check(my_pitch, my_audience))'),
        Test("pitch-handover", "Your introduction ends by handing over with an open question, not a favour.",
             'assert pitch_check(my_pitch, my_audience).hands_over, str(pitch_check(my_pitch, my_audience))'),
    ),
)

QUESTIONS = OwnWork(
    id="questions",
    intro="""
## 6. Three prepared questions (4 points)

Utah's third step is preparing questions: about the **field**, and about the **experiences or
opportunities** the person may know of; lesson 3 adds questions about the person's own **journey**
(how did they know, how did they get here). Write three questions for the audience you chose in part 5,
as a list: each between quotes, separated by commas, inside square brackets (the primer shows how).
The computer checks that there are three real questions and that each is open (2 points); a person
marks whether they cover the three kinds and fit your audience (2 points).
""",
    answer='my_questions = []\n### BEGIN SOLUTION\n'
           'my_questions = ["How do you see family medicine in this county changing over the next ten years?",\n'
           '                "How did you know family medicine was the right fit for you?",\n'
           '                "Which community projects here would welcome a student volunteer this summer?"]\n'
           "### END SOLUTION",
    preview="# Run this to see how each of your questions asks (open, yes/no, or a favour).\n"
            "question_check(my_questions)",
    written=Written("my-questions", """
### Marked by a person (2 points)

Your instructor reads your three questions with the two criteria below. Tick the ones you meet in the
box under the cell.
""", QUESTION_EXEMPLARS),
    tests=(
        Test("questions-form", "my_questions is a list of three different questions in words, each ending with a "
             "question mark.",
             'assert isinstance(my_questions, list), "Write your questions as a list: my_questions = [\\"How ...?\\", '
             '\\"What ...?\\", \\"Which ...?\\"]."\n'
             'assert len(my_questions) == 3, f"Write exactly three questions (you have {len(my_questions)})."\n'
             'assert all(isinstance(q, str) and q.strip().endswith("?") for q in my_questions), '
             '"Each question is text between quotes and ends with a question mark."\n'
             'assert all(any(ch.isalpha() for ch in q) for q in my_questions), '
             '"Write each question out in words (a question mark alone asks nothing)."\n'
             'assert len({" ".join(q.lower().split()) for q in my_questions}) == 3, '
             '"Write three different questions: two of yours are the same."'),
        Test("questions-open", "Each of your questions is open: none can be answered yes or no, none asks a favour.",
             'assert isinstance(my_questions, list) and len(my_questions) == 3, "Write your three questions first '
             '(see questions-form above)."\n'
             'assert all(a.is_open for a in question_check(my_questions)), '
             '" ".join(f"{a.text!r}: {a.why} {a.rewrite}" for a in question_check(my_questions) if not a.is_open)'),
    ),
)

NB1 = Notebook(
    name="01_pitch_and_questions",
    intro=f"""
# Workbook 1: The conversation

This workbook goes with **lesson 2, *How to network*** and **lesson 3, *Why network?***. It is worth
**22 points**: 16 that the computer marks (10 decisions in short scenes and 6 checks of your own
introduction and questions) and 6 that your instructor marks in your introduction and questions.
**Time: about 45 minutes.**

{HOW_TO}

Sources: Bakly, *Networking and Opportunity* (2024); University of Utah Health, *Networking* (2023);
Harvard Medical School, *Strengthening your strategic network* (2021).
""",
    setup=SETUP,
    parts=(
        Decision(
            "etiquette",
            """
## 1. Which etiquette step is missing? (3 points)

The University of Utah's four steps are introducing oneself, communicating goals, preparing questions
and being engaged (lesson 2). In each scene a student skips **one** step. Which?
""",
            (
                Scene("etiquette-a", "etiquette_a", "Scene A",
                      "At the county medical society dinner Sam introduces himself well: name, year, school, his "
                      "years as an EMT, and that he came to learn about emergency medicine. Dr. Lee smiles and says "
                      "\"What would you like to know?\" Sam has nothing to ask, and the conversation ends.",
                      "c", "Sam introduced himself and gave his goal, but had no questions ready: preparing "
                      "questions about the field and the person's experiences is the third step.",
                      "In scene A, Sam skips one etiquette step: which?", example="a"),
                Scene("etiquette-b", "etiquette_b", "Scene B",
                      "Maya gives a fine introduction and asks a resident how she chose her programme. While the "
                      "resident answers, Maya checks her phone, then cuts in to talk about her own exam results.",
                      "d", "Maya did not listen: checking her phone and cutting in to talk about herself is the "
                      "opposite of being engaged, which means listening actively and learning about the person.",
                      "In scene B, Maya skips one etiquette step: which?", example="a"),
                Scene("etiquette-c", "etiquette_c", "Scene C",
                      "At a national conference Ray walks up to Dr. Patel and opens with \"What's the hardest part of "
                      "matching into dermatology?\" He asks good questions and listens, but Dr. Patel never learns "
                      "his name, his year or his school.",
                      "a", "Ray never introduced himself: his name, year and school, background and reason for "
                      "being there are the first step, and they tell Dr. Patel how to help him.",
                      "In scene C, Ray skips one etiquette step: which?"),
            ),
            ETIQUETTE_OPTIONS,
        ),
        Decision(
            "harvard",
            """
## 2. Which piece of Harvard's advice? (3 points)

Harvard Medical School's five pieces of advice: identify your audience, keep the conversation brief,
practise conversations and transitions, meet many people, and use online platforms (lesson 2).
Which one does each student most need?
""",
            (
                Scene("harvard-a", "harvard_a", "Scene A",
                      "Priya spends the whole two-hour reception talking with the two classmates she came with, "
                      "and leaves having met no one new.",
                      "d", "Staying with friends all evening is what 'meet many people' warns against: short "
                      "conversations with many people are what an event is for.",
                      "Scene A: which of Harvard's pieces of advice does Priya most need?"),
                Scene("harvard-b", "harvard_b", "Scene B",
                      "Jordan met a pathologist from another state at a national conference. Three months later he "
                      "wants to keep in touch, but he will not see her again until next year's meeting.",
                      "e", "To keep a relationship going between rare meetings, Harvard advises using online "
                      "platforms (a professional network, the society's online community) as needed.",
                      "Scene B: which of Harvard's pieces of advice does Jordan most need?"),
                Scene("harvard-c", "harvard_c", "Scene C",
                      "Lee's introduction is good, but after it he freezes: he does not know how to move on to a "
                      "question, or how to end a conversation politely so that he can meet someone else.",
                      "c", "Moving from the introduction to a question, and closing politely, are transitions: "
                      "Harvard advises practising conversations and their transitions beforehand.",
                      "Scene C: which of Harvard's pieces of advice does Lee most need?", example="a"),
            ),
            HARVARD_OPTIONS,
        ),
        Decision(
            "explorative",
            """
## 3. Explorative, not transactional (2 points)

The article asks you to see networking as **explorative**: learning about someone's journey, not
collecting favours (lesson 3). You have just met Dr. Osei, a paediatric surgeon, at a conference.
""",
            (
                Scene("explorative-pick", "explorative_pick", "Question A",
                      "Which opening question is the explorative one?",
                      "b", "\"How did you know...\" asks about her journey; the others ask for a favour (a), can be "
                      "answered yes or no (c), or turn the talk to yourself (d).",
                      "Which opening question is explorative?", example="a",
                      options=(("a", "Could you get me a shadowing spot in your department this summer?"),
                               ("b", "How did you know paediatric surgery was the field for you?"),
                               ("c", "Do you enjoy working at a children's hospital?"),
                               ("d", "I have a strong CV in research; would that help me match in surgery?"))),
                Scene("explorative-why", "explorative_why", "Question B",
                      "Why is the explorative question the better opening?",
                      "c", "Asking about her journey lets her tell her story and lets you learn from it; a favour "
                      "asked of someone you have just met makes the talk a transaction. Shadowing may be offered "
                      "later, once she knows your interest is real.",
                      "Why is the explorative question the better opening?", example="a",
                      options=(("a", "Because surgeons prefer short questions."),
                               ("b", "Because it is more polite to never ask for anything."),
                               ("c", "Because it invites her story, so you learn about her path, and help such as "
                                     "shadowing may follow from the relationship instead of opening it."),
                               ("d", "Because it gets you the shadowing spot faster."))),
            ),
        ),
        Decision(
            "listening",
            """
## 4. Being engaged: what do you say next? (2 points)

Being engaged means listening actively: your next line builds on what the person just said (lesson 2).
""",
            (
                Scene("listening-a", "listening_a", "Scene A",
                      "A resident tells you: \"I almost left medicine in my second year, but a rotation in a rural "
                      "clinic changed my mind.\" What do you say next?",
                      "a", "(a) follows up on what she just said. (b) switches topic, (c) can be answered yes or no, "
                      "(d) turns the talk to yourself.",
                      "Scene A: which reply shows active listening?",
                      options=(("a", "What was it about that rural rotation that changed your mind?"),
                               ("b", "Which residency programmes are best for surgery?"),
                               ("c", "Did you like your second year?"),
                               ("d", "I'm in my second year too, and I'm really busy with exams."))),
                Scene("listening-b", "listening_b", "Scene B",
                      "Dr. Kim says: \"Most of my research started from questions my patients asked me.\" What do "
                      "you say next?",
                      "d", "(d) builds on her words and invites her story. (a) asks a favour, (b) is a yes/no "
                      "question, (c) switches to yourself.",
                      "Scene B: which reply shows active listening?", example="a",
                      options=(("a", "Could I join one of your research projects?"),
                               ("b", "Do you like research?"),
                               ("c", "I did a research project on diabetes last year."),
                               ("d", "Which patient question led to your first project, and how did it grow?"))),
            ),
        ),
        PITCH,
        QUESTIONS,
    ),
    outro="""
## Your score so far

Run the cell below. It shows your points out of 6 on the checks of your own introduction and
questions, and how many of the 10 choices you have answered, and saves a summary you can download.
The choices are marked right or wrong when you hand in, and your written parts by your instructor.
""",
)

# ------------------------------------------------------------------------------------------------ workbook 2

REQUEST_EXEMPLARS = (
    Exemplar("strong", "Dear student liaison of the Clark County Medical Society,\n\nI am Ada Okafor, a second-year "
             "student at Rowan. In April I hope to attend the national family medicine conference to meet "
             "physicians working in rural care, the field I want to enter. The trip costs $1,490; my chapter and "
             "the dean's office have awarded $450, and a request for $500 is pending. Could the society help with "
             "$540, or any part of it? If the pending request comes through I will tell you at once. I would "
             "gladly present what I learn at your next student meeting.\n\nThank you for considering my request,\n"
             "Ada Okafor",
             {"route": (1, "The county medical society's student liaison: a named role on a route."),
              "event-goal": (1, "The conference and how it serves rural care."),
              "numbers": (1, "Cost, awarded, pending, and an ask ($540) below the gap now ($1,040)."),
              "give-back": (1, "Offers a talk, thanks them, about 110 words.")}),
    Exemplar("borderline", "Dear Dean's office,\n\nI am a first-year student and I would like to go to a "
             "conference in Chicago about surgery because I am interested in it. It is expensive. Could you give "
             "me $1,490 for the trip? Thank you.\n\nBen",
             {"route": (1, "School leadership, addressed to the dean's office (a role, if thin)."),
              "event-goal": (1, "Names the conference and his interest."),
              "numbers": (0, "Asks for the whole cost though $450 is already awarded: more than the gap."),
              "give-back": (0, "Thanks, but offers nothing back and is under 100 words.")}),
    Exemplar("weak", "To whom it may concern, I need money for a conference. Please send what you can.",
             {"route": (0, "No route, no person."), "event-goal": (0, "No event, no goal."),
              "numbers": (0, "No numbers."), "give-back": (0, "Nothing offered, no thanks, 14 words.")}),
)

PLAN_EXEMPLARS = (
    Exemplar("strong", "Next step: the AAFP National Conference in July (national), which I found on the "
             "AAFP's events page after opening the specialty's website. Follow-up: within two days I will email "
             "each physician I meet, thank them, and mention one thing they told me, such as Dr. Kim's rural "
             "rotation story, then ask whether I may keep in touch online.",
             {"event": (1, "A real national event and the search step (the specialty's events page)."),
              "follow-up": (1, "When (two days), how (email), and a detail to mention.")}),
    Exemplar("borderline", "I will go to my county medical society's spring mixer. Afterwards I will send a "
             "thank-you email.",
             {"event": (1, "A local event; the search step is implied by naming the society (accept)."),
              "follow-up": (0, "No time frame and no detail from the conversation.")}),
    Exemplar("weak", "I will go to more events and network more.",
             {"event": (0, "No event, no level, no search step."), "follow-up": (0, "No follow-up.")}),
)

NB2 = Notebook(
    name="02_funding_and_opportunities",
    intro=f"""
# Workbook 2: Opportunities and how to pay for them

This workbook goes with **lesson 1, *Finding networking opportunities***, **lesson 3, *Why network?***
and **lesson 4, *Paying for it***, and ends with your plan (**lesson 5**). It is worth **18 points**:
12 that the computer marks (9 decisions, your funding gap rule and your own plan's numbers) and 6 that
your instructor marks (a funding request and your next step). **Time: about 45 minutes.**

{HOW_TO}

Sources: Bakly, *Networking and Opportunity* (2024).
""",
    setup=SETUP,
    parts=(
        Decision(
            "level",
            """
## 1. Which level? (3 points)

Opportunities come at three levels: school (institutional), local (county and state) and national
(lesson 1). Which level does each come from?
""",
            (
                Scene("level-a", "level_a", "Opportunity A",
                      "A student mixer run by your county medical society, with travel grants for conferences.",
                      "b", "County medical societies (and county health departments) are the local level; the "
                      "article notes they may also fund travel to conferences.",
                      "Opportunity A: which level?", example="a"),
                Scene("level-b", "level_b", "Opportunity B",
                      "The annual meeting of a national specialty organisation, found on its events page.",
                      "c", "Specialty conferences, listed on each specialty's events page, are the national level.",
                      "Opportunity B: which level?", example="a"),
                Scene("level-c", "level_c", "Opportunity C",
                      "Standing for treasurer on the executive board of your own school's SOMA chapter.",
                      "a", "An executive board position in your own school's chapter is the school level, even "
                      "though the chapter has a national parent organisation behind it.",
                      "Opportunity C: which level?", example="b"),
            ),
            LEVEL_OPTIONS,
        ),
        Decision(
            "search",
            """
## 2. Finding the next one (1 point)

You want your first **national** opportunity in emergency medicine. Which first step does lesson 1 teach?
""",
            (
                Scene("search-step", "search_step", "Your first step",
                      "Which of these does lesson 1 teach for the national level?",
                      "c", "At the national level, find the specialty's website and open its events or "
                      "conferences page: it lists the future meetings. The other steps belong to other levels "
                      "(a, d) or find nothing (b).",
                      "Which first step finds a national opportunity?",
                      options=(("a", "Ask your school which county health department it works with."),
                               ("b", "Wait for an invitation to arrive by email."),
                               ("c", "Find the specialty's website and open its events or conferences page."),
                               ("d", "Join a school chapter such as SOMA and ask about committees."))),
            ),
        ),
        Decision(
            "benefit",
            """
## 3. What did networking give? (2 points)

The article names six benefits of networking (lesson 3). Which does each situation show?
""",
            (
                Scene("benefit-a", "benefit_a", "Situation A",
                      "After your conversation, a cardiologist offers to introduce you to a colleague who runs the "
                      "hospital's heart failure clinic and has taught many students.",
                      "d", "Being put in touch with a faculty member or physician experienced in the field is a "
                      "referral.", "Situation A: which benefit?", example="a"),
                Scene("benefit-b", "benefit_b", "Situation B",
                      "A resident you met tells you about a free regional ultrasound workshop next month that you "
                      "had never heard of.",
                      "e", "Learning of another event or activity in the field is an introduction to other events.",
                      "Situation B: which benefit?", example="a"),
            ),
            BENEFIT_OPTIONS,
        ),
        Decision(
            "route",
            """
## 4. Whom to ask for funding? (3 points)

The five routes to funding (lesson 4) and, for each case, the best one to ask.
""",
            (
                Scene("route-a", "route_a", "Case A",
                      "Your school's family medicine interest group (a chapter of a national organisation) is "
                      "sending two members to the conference you want to attend and has a travel budget.",
                      "a", "A chapter at your school that is going to the conference anyway is the first route the "
                      "article names: ask its officers.", "Case A: which route?", example="b"),
                Scene("route-b", "route_b", "Case B",
                      "The conference's own website lists a student scholarship for applicants who present a poster.",
                      "e", "A scholarship offered by the event itself is the fifth route: apply to the organisers.",
                      "Case B: which route?", example="b"),
                Scene("route-order", "route_order", "Case C",
                      "You plan a national conference in four months. The event's scholarship closes in 10 days "
                      "and the state specialty society's grant in 30 days; your chapter, your dean's office and "
                      "your county medical society have no deadline. Write **all five** letters in the order you "
                      "would ask, for example `route_order = \"abcde\"`.",
                      "edabc", "Deadlines first, soonest first: the event's scholarship (10 days), then the "
                      "specialty society (30 days); then the rest closest to you first, as lesson 4 and the "
                      "funding planner order them: chapter, school leadership, medical society.",
                      "Case C: in what order do you ask?", example="abcde", order=True),
            ),
            ROUTE_OPTIONS,
        ),
        OwnWork(
            id="gap",
            intro="""
## 5. The gap rule (2 points)

Lesson 4: money that is **awarded** is yours; money that is **pending** may or may not come. So your
gap *now* is the total cost minus what is awarded, and never below zero (when funding covers
everything, the gap is 0). Pending money is not subtracted: you may say it is pending in your request,
but you cannot count on it.

Write the function `funding_gap(total_cost, awarded, pending)` that returns the gap now. The primer
shows how a function is written (`def`, `return`, `max`).
""",
            answer="def funding_gap(total_cost, awarded, pending):\n    ### BEGIN SOLUTION\n"
                   "    return max(total_cost - awarded, 0)\n    ### END SOLUTION",
            tests=(
                Test("gap-rule", "funding_gap subtracts only the awarded money: pending money may not come.",
                     'assert funding_gap(1490, 450, 500) == 1040, "The gap now is the cost minus what is awarded: '
                     '1490 - 450 = 1040. Pending money (500) may not come, so it is not subtracted."',
                     "assert funding_gap(800, 100, 700) == 700\nassert funding_gap(812.4, 0, 0) == 812.4\n"
                     "assert funding_gap(95.5, 45.5, 0) == 50"),
                Test("gap-edge", "funding_gap never reports a negative gap.",
                     'assert funding_gap(300, 450, 0) == 0, "When awarded money covers the whole cost the gap is 0, '
                     'never negative: use max(..., 0)."',
                     "assert funding_gap(100, 100, 50) == 0\nassert funding_gap(0.5, 1, 0) == 0\n"
                     "assert funding_gap(10, 0, 20) == 10"),
            ),
        ),
        OwnWork(
            id="plan",
            intro="""
## 6. Your own event's numbers (1 point)

Choose a real event you would like to attend (the opportunity finder in lesson 1 or 5 helps) and
estimate its five costs from lesson 4: ticket or registration, travel, lodging, food and other. Fill in
`my_costs` with your numbers (0 where a cost does not apply), what is already **awarded** to you and
what is **pending**, then let your `funding_gap` work out your gap.
""",
            answer='my_event = ""\nmy_costs = {"ticket": 0, "travel": 0, "lodging": 0, "food": 0, "other": 0}\n'
                   "my_awarded = 0\nmy_pending = 0\n"
                   "# Change the numbers above (and delete the raise line); keep the two lines at the end.\n"
                   "### BEGIN SOLUTION\n"
                   'my_event = "National family medicine conference, Chicago, April"\n'
                   'my_costs = {"ticket": 350, "travel": 420, "lodging": 480, "food": 180, "other": 60}\n'
                   "my_awarded = 450\nmy_pending = 500\n### END SOLUTION\n"
                   "my_gap = funding_gap(sum(my_costs.values()), my_awarded, my_pending)\nmy_gap",
            tests=(
                Test("plan-gap", "Your plan names an event, has the article's five costs and the right gap now.",
                     'assert isinstance(my_event, str) and my_event.strip(), "Name your event in my_event, between '
                     'quotes."\n'
                     'assert isinstance(my_costs, dict) and sorted(my_costs) == ["food", "lodging", "other", '
                     '"ticket", "travel"], "my_costs needs exactly the five costs of lesson 4: ticket, travel, '
                     'lodging, food and other."\n'
                     'assert all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in '
                     'my_costs.values()) and sum(my_costs.values()) > 0, "Each cost is a number, 0 or more, and '
                     'together they are more than 0: estimate your event\'s costs."\n'
                     'assert isinstance(my_awarded, (int, float)) and isinstance(my_pending, (int, float)) and '
                     'my_awarded >= 0 and my_pending >= 0, "my_awarded and my_pending are numbers, 0 or more."\n'
                     'assert my_gap == funding_gap_now(sum(my_costs.values()), my_awarded), "my_gap should be your '
                     'total cost minus what is awarded (never below 0): run the cell with funding_gap again."'),
            ),
        ),
        Written("funding-request", """
## 7. Ask for funding (4 points)

Write the message you would send to the route you would ask first for **your** event (part 6), in 100
to 180 words: who you are, the event and why it matters for your goals, the cost and what is already
awarded or pending, **what exactly you ask for** (no more than your gap now, `my_gap`), and what you
will give back (for example a short report to the chapter). Then thank them. Double-click the cell
below to write; press **Shift + Enter** to show it.
""", REQUEST_EXEMPLARS, solution="Dear student liaison of the Clark County Medical Society, ... (see the "
                                 "mark scheme's strong example)"),
        Written("plan-reflection", """
## 8. Your next step (2 points)

Lesson 5 pulls the plan together. In two to four sentences: name the next real event or opportunity
you will go to, its level and the search step that found it; then say when and how you will follow up
with the people you meet there, and one detail from the conversation your message will mention.
""", PLAN_EXEMPLARS, solution="Next step: the AAFP National Conference (national), found on the AAFP's events "
                               "page. I will email each physician within two days and mention one thing they told me."),
    ),
    outro="""
## Your score so far

Run the cell below: it shows your points out of 3 on the gap rule and your own plan, and how many of
the 9 choices you have answered, and adds them to the summary you can download (with workbook 1's if
you have scored it). The choices are marked when you hand in, the written parts by your instructor.
""",
)

NOTEBOOKS = (NB1, NB2)
