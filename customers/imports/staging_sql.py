"""The staging tables of an import and the fixed SQL that merges them (`customers.imports.staging`)."""

from customers.imports.rows import STAGED_COLUMNS

# Phones are staged as their blind index, ciphertext and last-four index only (`customers.privacy`).
_TABLES = {
    "import_row": "row_no integer, phone_index varchar(32), phone_encrypted varchar(96), phone_last4 bigint,"
    " name varchar(100), remark varchar(255),"
    " order_no varchar(64), amount numeric(12, 2), ordered_at timestamp with time zone, first_of_phone boolean",
    "import_row_tag": "row_no integer, phone_index varchar(32), tag varchar(64)",
    "import_row_error": "row_no integer, value varchar(255), phone_encrypted text, reason varchar(255)",
    "import_tag_id": "tag varchar(64), tag_id bigint",
    "import_chunk_owner": "row_no integer, staff_id bigint",
    # The customers a lead chunk's upsert inserted or updated, for its tag links.
    "import_chunk_id": "id bigint, phone_index varchar(32), created boolean",
}
_CHUNK_TABLES = {"import_row": "import_chunk", "import_row_tag": "import_chunk_tag"}
# A lead chunk on its way to customers_customer (see `ImportStaging.write_customers`).
_TABLES["import_chunk"] = _TABLES["import_row"]
_TABLES["import_chunk_tag"] = _TABLES["import_row_tag"]
_COLUMNS = {
    "import_row": tuple(STAGED_COLUMNS),
    "import_row_tag": ("row_no", "phone_index", "tag"),
    "import_row_error": ("row_no", "value", "phone_encrypted", "reason"),
    "import_tag_id": ("tag", "tag_id"),
    "import_chunk_owner": ("row_no", "staff_id"),
}
_COLUMNS["import_chunk"] = _COLUMNS["import_row"]
_COLUMNS["import_chunk_tag"] = _COLUMNS["import_row_tag"]
_INSERT_CUSTOMERS = (
    "INSERT INTO customers_customer"
    " (phone_encrypted, phone_index, phone_last4, name, remark, source_id, stage, created_at, updated_at)"
    " SELECT r.phone_encrypted, r.phone_index, r.phone_last4, r.name, r.remark, %s, 'lead', %s, %s FROM import_row r"
    " WHERE r.first_of_phone"
    " AND NOT EXISTS (SELECT 1 FROM customers_customer c WHERE c.phone_index = r.phone_index)"
    # Index order keeps the inserts into the phone index sequential (a million random inserts into a
    # B-tree larger than the buffer cache is the slowest part of a big import otherwise).
    " ORDER BY r.phone_index ON CONFLICT DO NOTHING"
)
# Existing customers (before any row is inserted): name and remark filled only where empty.
_UPDATE_CUSTOMERS = (
    "UPDATE customers_customer SET"
    " name = CASE WHEN customers_customer.name = '' THEN r.name ELSE customers_customer.name END,"
    " remark = CASE WHEN customers_customer.remark = '' THEN r.remark"
    " ELSE customers_customer.remark END,"
    " updated_at = %s"
    " FROM import_row r WHERE r.phone_index = customers_customer.phone_index"
    " AND r.first_of_phone"
    " AND ((customers_customer.name = '' AND r.name <> '')"
    " OR (customers_customer.remark = '' AND r.remark <> ''))"
)
_TEXT_COLUMNS = {"phone_index", "phone_encrypted", "name", "remark", "order_no", "tag", "value", "reason"}


def _upsert_customers_sql(*, dealt: bool) -> str:
    """Write the customers of a lead chunk on PostgreSQL (`ImportStaging.write_customers`); answers
    (created, created without an owner).

    One statement inserts the new customers in blind-index order and fills the empty name and remark of
    existing ones, so each phone is looked up once; the rows it inserted are those with `xmax = 0` (an
    updated row carries the updating transaction's id). `dealt`: the new customers get their owners
    from `import_chunk_owner`, each with an ownership period opened in the same statement. The ids of
    the rows it wrote go to `import_chunk_id`, so the chunk's tag links need not look the phones up again.
    """
    owner, join, periods = "NULL", "", ""
    if dealt:
        owner = "o.staff_id"
        join = " LEFT JOIN import_chunk_owner o ON o.row_no = r.row_no"
        periods = (
            ", periods AS (INSERT INTO customers_ownershipperiod"
            " (customer_id, staff_id, started_at, cause, changed_by_id)"
            " SELECT id, owner_id, %(now)s, %(cause)s, %(changed_by)s FROM written"
            " WHERE created AND owner_id IS NOT NULL)"
        )
    return (
        "WITH written AS ("  # noqa: S608 (fixed statement text; the values are parameters)
        " INSERT INTO customers_customer AS c"
        " (phone_encrypted, phone_index, phone_last4, name, remark, source_id, owner_id, stage, created_at, updated_at)"
        " SELECT r.phone_encrypted, r.phone_index, r.phone_last4, r.name, r.remark, %(source)s,"
        f" {owner}, 'lead', %(now)s, %(now)s FROM import_chunk r{join}"
        " WHERE r.first_of_phone ORDER BY r.phone_index"
        " ON CONFLICT (phone_index) DO UPDATE SET"
        " name = CASE WHEN c.name = '' THEN excluded.name ELSE c.name END,"
        " remark = CASE WHEN c.remark = '' THEN excluded.remark ELSE c.remark END,"
        " updated_at = excluded.updated_at"
        " WHERE (c.name = '' AND excluded.name <> '') OR (c.remark = '' AND excluded.remark <> '')"
        " RETURNING c.id, c.phone_index, c.owner_id, c.xmax = 0 AS created),"
        " kept AS (INSERT INTO import_chunk_id (id, phone_index, created) SELECT id, phone_index, created FROM written)"
        f"{periods}"
        " SELECT COUNT(*) FILTER (WHERE created), COUNT(*) FILTER (WHERE created AND owner_id IS NULL) FROM written"
    )


def tagged_sql(tags: str, *, chunk: bool, created: bool | None = None) -> str:
    """(customer_id, tag_id) of staging table `tags` (row_no, phone_index, tag), tag texts resolved
    through `import_tag_id`.

    `chunk`: a pipelined lead chunk, whose upsert kept the ids it wrote in `import_chunk_id`. Phones
    found there are not looked up in `customers_customer` (a hash join with the whole table, growing
    with every chunk); only the others are, customers that existed and were left unchanged.
    `created`: of a chunk, only the customers its upsert inserted (True) or only the others (False).
    """
    resolved = f"FROM {tags} t JOIN import_tag_id m ON m.tag = t.tag"
    stored = (
        f"SELECT c.id AS customer_id, m.tag_id {resolved}"  # noqa: S608 (a staging table's name)
        " JOIN customers_customer c ON c.phone_index = t.phone_index"
    )
    if not chunk:
        return stored
    written = (
        f"SELECT w.id AS customer_id, m.tag_id {resolved} JOIN import_chunk_id w"  # noqa: S608
        " ON w.phone_index = t.phone_index"
    )
    if created:
        return f"{written} WHERE w.created"
    if created is False:
        written = f"{written} WHERE NOT w.created"
    return (
        f"{written} UNION ALL {stored}"  # noqa: S608
        " WHERE NOT EXISTS (SELECT 1 FROM import_chunk_id w WHERE w.phone_index = t.phone_index)"
    )
