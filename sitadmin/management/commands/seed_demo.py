"""`manage.py seed_demo`: the demo organisation, customers and 60 days of events."""

from django.core.management.base import BaseCommand

from customers.models import Customer
from sitadmin.demo import DEMO_PASSWORD, demo_seed


class Command(BaseCommand):
    help = "Build demo data: 2 teams, ~10 staff, sources, scripts, groups, customers and their journeys."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same data)")
        parser.add_argument("--customers", type=int, default=20_000)
        parser.add_argument("--days", type=int, default=60, help="days of events, ending yesterday")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when customers exist")

    def handle(self, *args, seed, customers, days, if_empty, **options):
        if if_empty and Customer.objects.exists():
            self.stdout.write("seed_demo: customers exist, nothing to do")
            return
        summary = demo_seed(seed=seed, customers=customers, days=days, log=self.stdout.write)
        if summary.errors:
            self.stderr.write(f"{len(summary.errors)} demo events rejected, first: {summary.errors[0]}")
        self.stdout.write(
            self.style.SUCCESS(
                f"seed_demo: {summary.customers} customers, {summary.events} events, "
                f"{summary.sop_tasks} SOP tasks in {summary.seconds:.0f} s. "
                f"Logins (password {DEMO_PASSWORD}): manager, lead1, lead2, op1 … op8"
            )
        )
