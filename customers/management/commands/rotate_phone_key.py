from django.core.management.base import BaseCommand

from customers.privacy.keys import keyring
from customers.privacy.services import ROTATE_BATCH, customer_phones_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored phone under PHONE_ENCRYPTION_KEY_ID (set the new key first, keeping the old"
        " ones in PHONE_ENCRYPTION_KEYS until this has run). Resumable: run it again after a stop."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=ROTATE_BATCH)

    def handle(self, *args, batch_size: int, **options):
        current = keyring().current_id
        done = customer_phones_rotate(batch_size=batch_size)
        self.stdout.write(f"re-encrypted {done} phones under key {current}")
