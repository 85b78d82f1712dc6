"""The table of ``make faults``, and whether its targets were met."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from faults.audit import Findings


@dataclass
class Phase:
    name: str
    began: float
    fault_at: float | None = None  # None: the baseline, no fault
    over_at: float | None = None  # the fault's command returned (the server is back)
    recovered_at: float | None = None  # the first 201 to a request sent after the fault
    ended: float = 0.0
    what: str = ""
    deaths: list[str] = field(default_factory=list)
    kills: bool = False  # the fault kills processes: their deaths are expected

    @property
    def recovery(self) -> float | None:
        """Seconds from the fault's end (a kill: at once; a restart: the server back) to the first
        201 to a request sent after it."""
        if self.over_at is None or self.recovered_at is None:
            return None
        return self.recovered_at - self.over_at

    @property
    def lasted(self) -> float | None:
        return None if self.fault_at is None or self.over_at is None else self.over_at - self.fault_at

    @property
    def drops_connections(self) -> bool:
        """A killed gateway takes the connections it holds with it: its clients see them drop."""
        return self.name.startswith("kill -9 gateway")


HEADER = (
    "| fault | fault lasted s | requests | 2xx | 4xx | 503 | other 5xx | no answer (dropped/timeout) | "
    "slowest answer s | events lost | effects doubled | redelivered | s to recover | process deaths |"
)


# A gateway answers every request within its longest RPC timeout (15 s) and a little more: a
# request under way longer than this when a gateway was killed was overdue already.
GATEWAY_ANSWER_BOUND = 16.0


def in_flight_at_a_gateway_kill(outcome, phases: list[Phase]) -> bool:
    """Whether ``outcome``'s request was under way, and not yet overdue, when a gateway was
    killed: its connection may have been one the killed gateway held, whichever phase the
    request was sent in (a slow request sent at the end of one phase can outlive the next
    phase's quiet start)."""
    return any(
        p.drops_connections
        and p.fault_at is not None
        and outcome.started <= p.fault_at <= outcome.ended
        and p.fault_at - outcome.started <= GATEWAY_ANSWER_BOUND
        for p in phases
    )


def table(phases: list[Phase], outcomes: list, findings: Findings) -> tuple[str, list[str]]:
    """The Markdown table and the list of missed targets (empty: every target met)."""
    lines, missed, notes = [HEADER, "|" + "---|" * 14], [], []
    for phase in phases:
        mine = [o for o in outcomes if o.phase == phase.name]
        statuses = [o.status for o in mine if o.status is not None]
        ok = sum(200 <= s < 300 for s in statuses)
        client = sum(400 <= s < 500 for s in statuses)
        unavailable = sum(s == 503 for s in statuses)
        other = sum(s >= 500 and s != 503 for s in statuses) + sum(s < 200 or 300 <= s < 400 for s in statuses)
        dropped = sum(o.error.startswith("connection") for o in mine)
        unexplained = [
            o
            for o in mine
            if o.error.startswith("connection")
            and not phase.drops_connections
            and not in_flight_at_a_gateway_kill(o, phases)
        ]
        timeouts = sum(o.error == "timeout" for o in mine)
        lost, doubled = findings.lost[phase.name], findings.doubled[phase.name]
        recovery, lasted = phase.recovery, phase.lasted
        shown = "–" if phase.fault_at is None else ("not recovered" if recovery is None else f"{recovery:.1f}")
        slowest = max((o.ended - o.started for o in mine if o.status is not None), default=0.0)
        lines.append(
            f"| {phase.name} | {'–' if lasted is None else f'{lasted:.1f}'} | {len(mine)} | {ok} | {client} | "
            f"{unavailable} | {other} | {dropped}/{timeouts} | {slowest:.1f} | {lost} | {doubled} | "
            f"{findings.redelivered[phase.name]} | {shown} | {', '.join(phase.deaths) or '–'} |"
        )
        if other:
            missed.append(f"{phase.name}: {other} answers other than 2xx, 4xx or 503")
        for o in mine:
            if o.error.startswith("connection") and not phase.drops_connections and o not in unexplained:
                notes.append(
                    f"{phase.name}: {o.kind} {o.uscc} sent {o.started - phase.began:.1f} s into the phase, dropped "
                    f"after {o.ended - o.started:.1f} s by a gateway kill (counted as that kill's)"
                )
        if timeouts or unexplained:
            missed.append(
                f"{phase.name}: {len(unexplained)} connections dropped, {timeouts} requests unanswered in time"
                + "".join(
                    f"; {o.kind} {o.uscc} sent {o.started - phase.began:.1f} s into the phase, "
                    f"{o.error} after {o.ended - o.started:.1f} s"
                    for o in mine
                    if o in unexplained or o.error == "timeout"
                )
            )
        if lost or doubled:
            missed.append(f"{phase.name}: {lost} events lost, {doubled} effects doubled")
        if phase.fault_at is not None and recovery is None:
            missed.append(f"{phase.name}: no registration succeeded after the fault")
        if phase.deaths and not phase.kills:
            missed.append(f"{phase.name}: processes died instead of riding it out: {', '.join(phase.deaths)}")
        if not ok:
            missed.append(f"{phase.name}: no registration succeeded at all")
    for phase in phases:
        answers = Counter(
            f"{o.status} {o.code}".strip() if o.status else o.error for o in outcomes if o.phase == phase.name
        )
        lines.append(f"\n{phase.name}: " + ", ".join(f"{answer} ×{n}" for answer, n in sorted(answers.items())))
    unattributed = findings.lost["?"] + findings.doubled["?"]
    if unattributed:
        missed.append(f"{unattributed} events lost or doubled outside any phase (see the details)")
    lines.extend(f"\nnote: {note}" for note in notes)
    return "\n".join(lines), missed
