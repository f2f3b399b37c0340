"""The phone columns of a customer: ciphertext, blind index, last-four index; never the number itself."""

from django.db import models

from customers.privacy.crypto import phone_columns, phone_decrypt
from customers.privacy.masking import phone_mask


class EncryptedPhone(models.Model):
    """A phone kept encrypted, with the keyed indexes that make it unique and searchable.

    `phone` reads and sets the number through them (`Customer(phone="13800138000")` works as before);
    queries never name `phone`: they compare `phone_index` (exact) or `phone_last4` (last four digits).
    """

    phone_encrypted = models.CharField(max_length=96, null=True, blank=True, editable=False)
    phone_index = models.CharField(max_length=32, null=True, blank=True, editable=False)
    phone_last4 = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def phone(self) -> str | None:
        stored = self.phone_encrypted
        if not stored:
            return None
        cached = self.__dict__.get("_phone_plain")
        if cached is None or cached[0] != stored:
            cached = self.__dict__["_phone_plain"] = (stored, phone_decrypt(stored))
        return cached[1]

    @phone.setter
    def phone(self, value: str | None) -> None:
        for column, stored in phone_columns(value).items():
            setattr(self, column, stored)

    @property
    def masked_phone(self) -> str:
        """138****8000: what a viewer who does not own the customer sees."""
        return phone_mask(self.phone)
