"""The keyword replies page: the rules, and a box to try a text against them (a try counts no hit)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_POST

from campaigns.keywords.models import KeywordReply
from campaigns.keywords.services import keyword_reply_match, keyword_rules_with_hits
from staff.roles import role_for


def _staff_only(request) -> None:
    if role_for(request.user) is None:
        raise PermissionDenied


@login_required
def keyword_reply_page(request):
    _staff_only(request)
    return render(request, "campaigns/keywords.html", {"rules": keyword_rules_with_hits()})


@login_required
@require_POST
def keyword_reply_try(request):
    _staff_only(request)
    text = request.POST.get("text", "")
    rule_id, reply = keyword_reply_match(text=text, count_hit=False)
    rule = KeywordReply.objects.filter(pk=rule_id).first() if rule_id else None
    return render(request, "campaigns/_keyword_result.html", {"text": text, "rule": rule, "reply": reply})
