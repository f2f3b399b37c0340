"""Scoring staff on the competency dimensions and deciding 进 / 留 / 转 / 退 (docs/domain.md §Evaluation).

`total = 10 × Σ(weight × score) / Σ weight` over the dimensions active when the evaluation is made,
rounded to one decimal half up (79.95 → 80.0) with `Decimal`, never binary floats. Each score keeps
the weight in force at that moment, so changing a dimension's weight later never moves a past total.
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from staff.models import CompetencyDimension, Decision, Evaluation, EvaluationScore, ReviewCycle, Staff

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("10")
ONE_DECIMAL = Decimal("0.1")


class EvaluationError(Exception):
    """Bad input; `errors` names each field, in DRF's shape: `{"scores": {"learning": ["..."]}}`."""

    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def score_parse(value) -> Decimal:
    """A score 0..10 with at most one decimal; raises ValueError with the reason."""
    if isinstance(value, bool) or value is None or value == "":
        raise ValueError(_("必须是 0 到 10 的数字"))
    try:
        score = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(_("必须是 0 到 10 的数字")) from None
    if not score.is_finite() or score < SCORE_MIN or score > SCORE_MAX:
        raise ValueError(_("必须在 0 到 10 之间"))
    if score != score.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP):
        raise ValueError(_("最多一位小数"))
    return score.quantize(ONE_DECIMAL)


def evaluation_total(*, weighted_scores: list[tuple[Decimal, Decimal]]) -> Decimal:
    """`10 × Σ(weight × score) / Σ weight` from (weight, score) pairs, one decimal, half up."""
    weight_sum = sum((weight for weight, _score in weighted_scores), Decimal(0))
    if weight_sum <= 0:
        raise EvaluationError({"scores": [_("启用维度的权重之和必须大于 0")]})
    weighted = sum((weight * score for weight, score in weighted_scores), Decimal(0))
    return (Decimal(10) * weighted / weight_sum).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def evaluation_decision(*, total: Decimal) -> str:
    """The first band of `EVALUATION_BANDS` (highest first) whose lower edge the total reaches."""
    for decision, lowest in settings.EVALUATION_BANDS:
        if total >= Decimal(str(lowest)):
            return decision
    return Decision.EXIT


def evaluation_scores_validate(
    *, scores: Mapping, dimensions: list[CompetencyDimension]
) -> dict[CompetencyDimension, Decimal]:
    """Every active dimension scored once, nothing unknown; errors keyed by dimension code."""
    if not isinstance(scores, Mapping):
        raise EvaluationError({"scores": [_("必须是 {维度代码: 分数} 对象")]})
    by_code = {dim.code: dim for dim in dimensions}
    errors: dict[str, list[str]] = {}
    parsed: dict[CompetencyDimension, Decimal] = {}
    for code, value in scores.items():
        dim = by_code.get(code)
        if dim is None:
            errors[str(code)] = [_("未知或未启用的维度")]
            continue
        try:
            parsed[dim] = score_parse(value)
        except ValueError as exc:
            errors[code] = [str(exc)]
    for code in by_code:
        if code not in scores:
            errors[code] = [_("必须打分")]
    if errors:
        raise EvaluationError({"scores": errors})
    return parsed


def evaluation_create(
    *,
    staff: Staff,
    cycle: ReviewCycle,
    scores: Mapping,
    notes: str = "",
    dimension_notes: Mapping[str, str] | None = None,
    reviewer,
) -> Evaluation:
    """Score `staff` for `cycle`; all or nothing. Raises EvaluationError naming the bad field."""
    dimensions = list(CompetencyDimension.objects.filter(active=True).order_by("position", "code"))
    parsed = evaluation_scores_validate(scores=scores, dimensions=dimensions)
    dimension_notes = dimension_notes or {}
    unknown_notes = sorted(set(dimension_notes) - {dim.code for dim in dimensions})
    if unknown_notes:
        raise EvaluationError({"dimension_notes": {code: [_("未知或未启用的维度")] for code in unknown_notes}})
    total = evaluation_total(weighted_scores=[(dim.weight, score) for dim, score in parsed.items()])
    decision = evaluation_decision(total=total)
    if Evaluation.objects.filter(staff=staff, cycle=cycle).exists():
        raise EvaluationError({"cycle": [_duplicate_message(staff, cycle)]})
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                staff=staff,
                cycle=cycle,
                reviewer=reviewer,
                total=total,
                decision=decision,
                final_decision=decision,
                notes=notes or "",
            )
            EvaluationScore.objects.bulk_create(
                [
                    EvaluationScore(
                        evaluation=evaluation,
                        dimension=dim,
                        score=score,
                        weight=dim.weight,
                        note=str(dimension_notes.get(dim.code) or ""),
                    )
                    for dim, score in parsed.items()
                ]
            )
    except IntegrityError:
        # A concurrent request for the same staff and cycle won the unique constraint.
        raise EvaluationError({"cycle": [_duplicate_message(staff, cycle)]}) from None
    return evaluation


def _duplicate_message(staff: Staff, cycle: ReviewCycle) -> str:
    return _("%(staff)s 在周期 %(cycle)s 已有考核") % {"staff": staff.username, "cycle": cycle.code}


def evaluation_override(*, evaluation: Evaluation, final_decision: str, override_reason: str, by) -> Evaluation:
    """A manager's final decision; the computed `decision` stays beside it."""
    errors = {}
    if final_decision not in Decision.values:
        errors["final_decision"] = [_("必须是以下之一：%(values)s") % {"values": ", ".join(Decision.values)}]
    if not (override_reason or "").strip():
        errors["override_reason"] = [_("调整结论必须填写原因")]
    if errors:
        raise EvaluationError(errors)
    evaluation.final_decision = final_decision
    evaluation.override_reason = override_reason.strip()
    evaluation.overridden_by = by
    evaluation.overridden_at = timezone.now()
    evaluation.save(update_fields=["final_decision", "override_reason", "overridden_by", "overridden_at"])
    return evaluation
