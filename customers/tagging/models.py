"""The link between a customer and a tag (`Customer.tags` goes through it)."""

from django.db import models
from django.utils.translation import pgettext_lazy


class CustomerTag(models.Model):
    """One tag on one customer; the pair is the primary key.

    The table is as narrow as a link can be: no surrogate id, no separate unique pair, and the
    primary key `(customer, tag)` also serves every lookup by customer, so the only other index is
    the one by tag (tag filters, tag counts). Its columns are not database foreign keys: on a
    million-row import the per-row foreign-key checks cost twice the insert itself (BENCHMARKS.md,
    "Tag links"). Links are written only by the ORM and by import statements that take the
    customer and tag ids from their tables in the same statement, and deleting a customer or a tag
    through Django deletes its links (`on_delete=CASCADE`).
    """

    pk = models.CompositePrimaryKey("customer", "tag")
    customer = models.ForeignKey(
        "customers.Customer", on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    tag = models.ForeignKey("customers.Tag", on_delete=models.CASCADE, related_name="+", db_constraint=False)

    class Meta:
        app_label = "customers"
        verbose_name = pgettext_lazy("model", "客户标签")
        verbose_name_plural = pgettext_lazy("models", "客户标签")

    def __str__(self) -> str:
        return f"{self.customer_id}:{self.tag_id}"
