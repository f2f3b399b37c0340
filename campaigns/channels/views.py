"""Channel-code pages: the public landing page a poster points to, the poster QR, the manager list."""

import base64
import datetime as dt
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from qrcode.image.pure import PyPNGImage

from campaigns.channels.models import ChannelCode, StaffContactQr
from campaigns.channels.selectors import channel_code_list, channel_code_report
from campaigns.channels.services import ContactQrInvalid, channel_code_route, staff_contact_qr_upload
from staff.roles import is_manager, staff_for

REPORT_DAYS = 30


@never_cache
def channel_landing(request, code: str):
    """`/c/{code}/`: no log-in, one small self-contained page; each visit counts a scan."""
    channel_code = get_object_or_404(ChannelCode, code=code)
    routed = channel_code_route(channel_code=channel_code)
    image = None
    if routed.staff is not None:
        qr = StaffContactQr.objects.filter(staff=routed.staff).first()
        if qr is not None and qr.image:
            with qr.image.open("rb") as handle:
                image = f"data:{qr.content_type};base64,{base64.b64encode(handle.read()).decode()}"
    context = {"channel_code": channel_code, "staff": routed.staff, "reason": routed.reason, "image": image}
    return render(request, "campaigns/channels/landing.html", context)


def _manager_only(request) -> None:
    if not is_manager(request.user):
        raise PermissionDenied


@login_required
def channel_poster(request, code: str, fmt: str):
    """The poster's QR code of the landing page's full URL, as SVG or PNG."""
    _manager_only(request)
    if fmt not in ("svg", "png"):
        raise Http404
    channel_code = get_object_or_404(ChannelCode, code=code)
    url = request.build_absolute_uri(f"/c/{channel_code.code}/")
    buffer = io.BytesIO()
    if fmt == "svg":
        qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=20).save(buffer)
        content_type = "image/svg+xml"
    else:
        qrcode.make(url, image_factory=PyPNGImage, box_size=12).save(buffer)
        content_type = "image/png"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="channel-{channel_code.code}.{fmt}"'
    return response


@login_required
def channel_code_page(request):
    """Managers: every code with its routing and the report for the range (default the last 30 days)."""
    _manager_only(request)
    today = timezone.localdate()
    try:
        date_from = dt.date.fromisoformat(request.GET.get("date_from", ""))
        date_to = dt.date.fromisoformat(request.GET.get("date_to", ""))
    except ValueError:
        date_from, date_to = today - dt.timedelta(days=REPORT_DAYS - 1), today
    if date_to < date_from:
        date_from, date_to = date_to, date_from
    report = {row["code"]: row for row in channel_code_report(date_from=date_from, date_to=date_to)}
    codes = [(c, report.get(c.code)) for c in channel_code_list()]
    qrs = set(StaffContactQr.objects.values_list("staff_id", flat=True))
    return render(
        request,
        "campaigns/channels/list.html",
        {"codes": codes, "date_from": date_from, "date_to": date_to, "staff_with_qr": qrs},
    )


@login_required
def contact_qr_page(request):
    """Every staff member uploads their own contact QR here."""
    staff = staff_for(request.user)
    if staff is None:
        raise Http404
    if request.method == "POST":
        upload = request.FILES.get("image")
        if upload is None:
            messages.error(request, _("请选择一张图片"))
        else:
            try:
                staff_contact_qr_upload(staff=staff, upload=upload)
                messages.success(request, _("二维码已上传"))
            except ContactQrInvalid as exc:
                messages.error(request, str(exc))
        return redirect("channel-contact-qr")
    qr = StaffContactQr.objects.filter(staff=staff).first()
    return render(request, "campaigns/channels/contact_qr.html", {"qr": qr})


@login_required
@require_POST
def channel_code_toggle(request, code: str):
    _manager_only(request)
    channel_code = get_object_or_404(ChannelCode, code=code)
    channel_code.active = not channel_code.active
    channel_code.save(update_fields=["active"])
    return redirect("channel-codes")
