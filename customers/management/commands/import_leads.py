"""`python manage.py import_leads FILE --source CODE [--team CODE] [--allocation RULE]`."""

from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from customers.imports.messages import message_text
from customers.imports.readers import ImportFileError
from customers.imports.services import import_job_create, import_job_run
from customers.models import ImportJob, LeadSource
from staff.models import Team


class Command(BaseCommand):
    help = "Import a lead list (CSV or XLSX) now, with a progress bar; prints what became of every row."
    # A data command: the project checks run with the server and the tests, not before each import.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, help="lead-source code")
        parser.add_argument("--team", help="team code: allocate new customers to its active operators")
        parser.add_argument("--allocation", default="none", choices=[c for c, _ in ImportJob.Allocation.choices])
        parser.add_argument("--chunk-rows", type=int, default=100_000, help="rows read per chunk")

    def handle(self, *args, file: Path, source: str, team: str | None, allocation: str, chunk_rows: int, **options):
        if not file.is_file():
            raise CommandError(f"no such file: {file}")
        try:
            lead_source = LeadSource.objects.get(code=source)
        except LeadSource.DoesNotExist as exc:
            raise CommandError(f"unknown lead source {source!r}") from exc
        target = None
        if team:
            target = Team.objects.filter(code=team).first()
            if target is None:
                raise CommandError(f"unknown team {team!r}")
        if allocation != "none" and target is None:
            raise CommandError("--allocation needs --team")
        with file.open("rb") as fh:
            try:
                job = import_job_create(
                    file=File(fh, name=file.name),
                    file_name=file.name,
                    source=lead_source,
                    team=target,
                    allocation=allocation,
                    dispatch=False,
                )
            except ImportFileError as exc:
                raise CommandError(message_text(str(exc))) from exc
        with tqdm(total=100, unit="%", desc=file.name, disable=options["verbosity"] == 0) as bar:

            def advance(percent: int) -> None:
                bar.update(percent - bar.n)

            job = import_job_run(job_id=job.pk, chunk_rows=chunk_rows, progress=advance)
        if job.status != ImportJob.Status.DONE:
            raise CommandError(f"import #{job.pk} failed: {message_text(job.error)}")
        self.stdout.write(
            f"import #{job.pk}: {job.total_rows} rows: {job.created} created, {job.updated} updated, "
            f"{job.duplicates} duplicates, {job.invalid} invalid; {job.unassigned} unassigned"
            + (f"; {job.orders_created} orders" if job.orders_created else "")
        )
