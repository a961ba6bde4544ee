"""Governors' report pages, PDFs and CSVs, and the trust roll-up: thin views over the gateway."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify

from socialgov.access import (
    SchoolRequest,
    SignedInRequest,
    require_POST,
    require_role,
    require_signed_in,
    require_write,
)
from socialgov.audit.models import AccessAction
from socialgov.audit.services import access_record_request
from socialgov.csv_export import csv_response
from socialgov.reports import access as report_access
from socialgov.reports.access import REPORT_ROLES
from socialgov.reports.pdf import report_pdf, rollup_pdf
from socialgov.reports.period import (
    PeriodForm,
    RollupPeriodForm,
    default_period,
    year_period,
)
from socialgov.reports.registry import Period
from socialgov.reports.selectors import (
    generated_reports_of,
    report_for,
    rollup_for,
    school_terms,
    trust_schools,
)
from socialgov.reports.services import generated_report_create
from socialgov.terms.selectors import academic_year_of
from socialgov.uploads.serving import serve_stored_file


def _period(request, school, data=None) -> tuple[PeriodForm, Period | None]:
    """The period from the query string (the default term when none is asked for); None with
    the form's errors when what was asked for is not valid."""
    terms = school_terms(school)
    data = request.GET if data is None else data
    if "period" not in data:
        period = default_period(school, terms)
        form = PeriodForm(
            initial={
                "period": period.key,
                "starts_on": period.starts_on,
                "ends_on": period.ends_on,
            },
            school=school,
            terms=terms,
        )
        return form, period
    form = PeriodForm(data, school=school, terms=terms)
    if not form.is_valid():
        return form, None
    return form, form.chosen_period()


def _period_query(period: Period) -> str:
    from urllib.parse import urlencode

    query = {"period": period.key}
    if period.key == "range":
        query |= {"starts_on": period.starts_on.isoformat(), "ends_on": period.ends_on.isoformat()}
    return urlencode(query)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_role(*REPORT_ROLES)
def governors_report_current(request: SchoolRequest):
    """The menu's entry: the report of the current school."""
    return redirect("governors_report", pk=request.school.pk)


@require_signed_in
def governors_report(request: SignedInRequest, pk):
    """A school's governors' review report for a period, from live data: counts only."""
    school = report_access.report_school_get_for_user(request.user, pk)
    form, period = _period(request, school)
    report = report_for(school, period) if period is not None else None
    status = 200 if period is not None else 400
    return render(
        request,
        "reports/governors_report.html",
        {
            "school": school,
            "form": form,
            "report": report,
            "period_query": _period_query(period) if period else "",
            "can_keep": report_access.can_keep_report(request.user, school),
            "submission_key": uuid.uuid4(),
        },
        status=status,
    )


@require_signed_in
@require_POST
def governors_report_keep(request: SignedInRequest, pk):
    """Generate the report's PDF for the period and keep it (period, who, when, SHA-256)."""
    school = report_access.report_school_get_for_user(request.user, pk)
    require_write(report_access.can_keep_report(request.user, school))
    _form, period = _period(request, school, data=request.POST)
    if period is None:
        messages.error(request, "Choose a period the report can cover, then generate it again.")
        return redirect("governors_report", pk=school.pk)
    try:
        key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        key = uuid.uuid4()
    kept, created = generated_report_create(
        school=school, period=period, actor=request.user, submission_key=key
    )
    if created:
        messages.success(request, f"The report for {kept.period_label} is kept below.")
    return redirect("governors_report_kept", pk=school.pk)


@require_signed_in
def governors_report_kept(request: SignedInRequest, pk):
    """The school's kept reports, newest first: period, who generated it, when, SHA-256."""
    school = report_access.report_school_get_for_user(request.user, pk)
    return render(
        request,
        "reports/generated_report_list.html",
        {"school": school, "kept": generated_reports_of(school)},
    )


@require_signed_in
def generated_report_download(request: SignedInRequest, pk):
    """A kept report's PDF; each download is written to the school's access log."""
    kept = report_access.generated_report_get_for_user(request.user, pk)
    access_record_request(
        request,
        obj=kept,
        school=kept.school,
        action=AccessAction.DOWNLOADED,
        description="Kept governors' report (PDF)",
    )
    return serve_stored_file(request, kept.pdf, as_attachment=True)


@require_signed_in
def governors_report_pdf(request: SignedInRequest, pk):
    school = report_access.report_school_get_for_user(request.user, pk)
    form, period = _period(request, school)
    if period is None:
        return render(
            request,
            "reports/governors_report.html",
            {"school": school, "form": form, "report": None, "period_query": ""},
            status=400,
        )
    content = report_pdf(report_for(school, period))
    filename = f"governors-report-{slugify(school.name)}-{period.starts_on:%Y-%m-%d}.pdf"
    return _pdf_response(content, filename)


@require_signed_in
def governors_report_csv(request: SignedInRequest, pk, section, table):
    """One table of the report as CSV (the figures as shown: suppressed counts stay so)."""
    school = report_access.report_school_get_for_user(request.user, pk)
    form, period = _period(request, school)
    if period is None:
        raise Http404
    found = report_for(school, period).table(section, table)
    if found is None:
        raise Http404
    return csv_response(
        filename=f"{slugify(school.name)}-{section}-{table}-{period.starts_on:%Y-%m-%d}.csv",
        header=list(found.columns),
        rows=([str(cell) for cell in row] for row in found.rows),
    )


def _rollup_period(request) -> tuple[RollupPeriodForm, Period | None]:
    """The roll-up covers a school year (schools' terms differ), or dates of one's choice: the
    period from the query string (this school year when none is asked for); None with the
    form's errors when what was asked for is not valid."""
    data = request.GET.copy()
    if "period" not in data and data.get("year"):
        data["period"] = f"year-{data['year']}"  # the roll-up's earlier links: ?year=2026
    if "period" not in data:
        period = year_period(academic_year_of(timezone.localdate()))
        form = RollupPeriodForm(
            initial={
                "period": period.key,
                "starts_on": period.starts_on,
                "ends_on": period.ends_on,
            }
        )
        return form, period
    form = RollupPeriodForm(data)
    if not form.is_valid():
        return form, None
    return form, form.chosen_period()


def _rollup_filename(trust, period: Period, extension: str) -> str:
    dates = f"{period.starts_on:%Y-%m-%d}-to-{period.ends_on:%Y-%m-%d}"
    return f"trust-rollup-{slugify(trust.name)}-{dates}.{extension}"


def _rollup_page(request, trust, form, rollup, status=200):
    period_query = _period_query(rollup.period) if rollup is not None else ""
    return render(
        request,
        "reports/trust_rollup.html",
        {"trust": trust, "form": form, "rollup": rollup, "period_query": period_query},
        status=status,
    )


@require_signed_in
def trust_rollup_current(request: SignedInRequest):
    """The menu's entry: the roll-up of the person's trust (the first, if several)."""
    trust_ids = sorted(report_access.rollup_trust_ids(request.user))
    if not trust_ids:
        raise Http404
    return redirect("trust_rollup", pk=trust_ids[0])


@require_signed_in
def trust_rollup(request: SignedInRequest, pk):
    """Every school of the trust side by side, with a drill-down to each school's report."""
    trust = report_access.rollup_trust_get_for_user(request.user, pk)
    form, period = _rollup_period(request)
    if period is None:
        return _rollup_page(request, trust, form, None, status=400)
    return _rollup_page(request, trust, form, rollup_for(trust, period, trust_schools(trust)))


@require_signed_in
def trust_rollup_pdf(request: SignedInRequest, pk):
    trust = report_access.rollup_trust_get_for_user(request.user, pk)
    form, period = _rollup_period(request)
    if period is None:
        return _rollup_page(request, trust, form, None, status=400)
    content = rollup_pdf(rollup_for(trust, period))
    return _pdf_response(content, _rollup_filename(trust, period, "pdf"))


@require_signed_in
def trust_rollup_csv(request: SignedInRequest, pk):
    trust = report_access.rollup_trust_get_for_user(request.user, pk)
    form, period = _rollup_period(request)
    if period is None:
        return _rollup_page(request, trust, form, None, status=400)
    table = rollup_for(trust, period).as_table()
    return csv_response(
        filename=_rollup_filename(trust, period, "csv"),
        header=list(table.columns),
        rows=([str(cell) for cell in row] for row in table.rows),
    )
