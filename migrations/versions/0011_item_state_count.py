"""Each state's outermost container (``epc_state.root_key``, kept by capture), counts of
item states per outermost container and lot (``item_state_count``) and of units per lot
(``lot_unit_count``), both kept exact by the database: a recall preview counts a lot's
100,000 items on 50 pallets from a few thousand summary rows instead of every item.

Triggers keep the counts: on ``epc_state`` every insert, update and delete of a
non-container row moves one unit between groups (PostgreSQL: one statement-level trigger
per operation over its transition tables, so a COPY or a bulk UPDATE pays one aggregate,
not one call per row; SQLite: row triggers); on ``verification`` (a row trigger: one row
per scan) the first verification of an object moves it to the ``verified`` group; on ``unit`` every insert, delete or change
of lot. Existing rows are counted here, and existing states get their root.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 08:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

COLUMNS = "brand_id, root_key, lot_id, biz_step, disposition, location, kind, verified"
_STATE = ("brand_id", "epc_key", "root_key", "lot_id", "biz_step", "disposition", "biz_location", "read_point")
_VERIFIED = "EXISTS (SELECT 1 FROM verification v WHERE v.brand_id = s.brand_id AND v.unit_key = s.epc_key)"


def _groups(source: str, sign: str, verified: str = _VERIFIED) -> str:
    """The summary key of each non-container state row of ``source`` (as s), with ``sign``."""
    return ("SELECT s.brand_id AS brand_id, COALESCE(s.root_key, '') AS root_key, COALESCE(s.lot_id, 0) AS lot_id,"
            " COALESCE(s.biz_step, '') AS biz_step, COALESCE(s.disposition, '') AS disposition,"
            " COALESCE(s.biz_location, s.read_point, '') AS location,"
            " CASE WHEN substr(s.epc_key, 1, 2) = '01' AND substr(s.epc_key, 17, 2) = '21' THEN 'item'"
            f" ELSE 'other' END AS kind, {verified} AS verified, {sign} AS d"
            f" FROM {source} s WHERE substr(s.epc_key, 1, 2) <> '00'")


def _add(deltas: str) -> str:
    """Add grouped deltas (the summary key, then the change) to the counts."""
    return (f"INSERT INTO item_state_count ({COLUMNS}, n)"
            f" SELECT {COLUMNS}, sum(d) FROM ({deltas}) AS x WHERE true"
            f" GROUP BY {COLUMNS} HAVING sum(d) <> 0"
            f" ON CONFLICT ({COLUMNS}) DO UPDATE SET n = item_state_count.n + excluded.n")


def _moved_to_verified(source: str) -> str:
    """States of ``source`` leave their unverified group for the verified one."""
    return _add(f"{_groups(source, '1', 'true')} UNION ALL {_groups(source, '-1', 'false')}")


def _row(alias: str) -> str:
    """One trigger row (SQLite NEW / OLD) as a one-row table."""
    return "(SELECT " + ", ".join(f"{alias}.{c} AS {c}" for c in _STATE) + ")"


_PG_FUNCTIONS = {
    "tracemark_item_states_inserted": _add(_groups("new_rows", "1")),
    "tracemark_item_states_updated": _add(f"{_groups('new_rows', '1')} UNION ALL {_groups('old_rows', '-1')}"),
    "tracemark_item_states_deleted": _add(_groups("old_rows", "-1")),
}
_PG_TRIGGERS = (
    ("epc_state", "item_state_count_insert", "INSERT", "NEW TABLE AS new_rows", "tracemark_item_states_inserted"),
    ("epc_state", "item_state_count_update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
     "tracemark_item_states_updated"),
    ("epc_state", "item_state_count_delete", "DELETE", "OLD TABLE AS old_rows", "tracemark_item_states_deleted"),
)
# A row trigger on verification: every consumer scan inserts one row, and for all but an
# object's first verification one index probe settles it (a statement trigger's transition
# table and query cost a scan more than that). "First" is the lowest id of the object's
# verifications, so of several inserted by one statement exactly one moves the count.
_PG_FIRST_VERIFICATION = (
    "CREATE FUNCTION tracemark_item_states_verified() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    "IF EXISTS (SELECT 1 FROM verification v WHERE v.brand_id = NEW.brand_id AND v.unit_key = NEW.unit_key"
    " AND v.id < NEW.id) THEN\nRETURN NULL;\nEND IF;\n"
    + _moved_to_verified("(SELECT * FROM epc_state WHERE brand_id = NEW.brand_id AND epc_key = NEW.unit_key)")
    + ";\nRETURN NULL;\nEND\n$$")
_PG_FIRST_VERIFICATION_TRIGGER = ("CREATE TRIGGER item_state_count_verified AFTER INSERT ON verification"
                                  " FOR EACH ROW EXECUTE FUNCTION tracemark_item_states_verified()")


def _lot_units(source: str, sign: str) -> str:
    return (f"INSERT INTO lot_unit_count (lot_id, n) SELECT lot_id, {sign} * count(*) FROM {source} WHERE true"
            " GROUP BY lot_id ON CONFLICT (lot_id) DO UPDATE SET n = lot_unit_count.n + excluded.n")


_PG_FUNCTIONS.update({
    "tracemark_lot_units_inserted": _lot_units("new_rows", "1"),
    "tracemark_lot_units_updated": _lot_units("new_rows", "1") + ";\n" + _lot_units("old_rows", "-1"),
    "tracemark_lot_units_deleted": _lot_units("old_rows", "-1"),
})
_PG_TRIGGERS += (
    ("unit", "lot_unit_count_insert", "INSERT", "NEW TABLE AS new_rows", "tracemark_lot_units_inserted"),
    ("unit", "lot_unit_count_update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
     "tracemark_lot_units_updated"),
    ("unit", "lot_unit_count_delete", "DELETE", "OLD TABLE AS old_rows", "tracemark_lot_units_deleted"),
)
_SQLITE_TRIGGERS = (
    ("unit", "lot_unit_count_insert", "INSERT", "", _lot_units("(SELECT NEW.lot_id AS lot_id)", "1")),
    ("unit", "lot_unit_count_update", "UPDATE", " WHEN OLD.lot_id IS NOT NEW.lot_id",
     _lot_units("(SELECT NEW.lot_id AS lot_id)", "1") + "; " + _lot_units("(SELECT OLD.lot_id AS lot_id)", "-1")),
    ("unit", "lot_unit_count_delete", "DELETE", "", _lot_units("(SELECT OLD.lot_id AS lot_id)", "-1")),
    ("epc_state", "item_state_count_insert", "INSERT", "", _add(_groups(_row("NEW"), "1"))),
    ("epc_state", "item_state_count_update", "UPDATE", "",
     _add(f"{_groups(_row('NEW'), '1')} UNION ALL {_groups(_row('OLD'), '-1')}")),
    ("epc_state", "item_state_count_delete", "DELETE", "", _add(_groups(_row("OLD"), "-1"))),
    ("verification", "item_state_count_verified", "INSERT",
     " WHEN NOT EXISTS (SELECT 1 FROM verification v WHERE v.brand_id = NEW.brand_id AND v.unit_key = NEW.unit_key"
     " AND v.id < NEW.id)",
     _moved_to_verified("(SELECT * FROM epc_state WHERE brand_id = NEW.brand_id AND epc_key = NEW.unit_key)")),
)


_MAX_DEPTH = 16


def _fill_roots() -> None:
    """Each state's root: its parent, then its parent's parent while there is one."""
    op.execute("UPDATE epc_state SET root_key = parent_key WHERE parent_key IS NOT NULL")
    bind = op.get_bind()
    for _ in range(_MAX_DEPTH):
        moved = bind.execute(sa.text(
            "UPDATE epc_state SET root_key = (SELECT p.parent_key FROM epc_state p WHERE p.brand_id = epc_state.brand_id"
            " AND p.epc_key = epc_state.root_key) WHERE root_key IS NOT NULL AND EXISTS (SELECT 1 FROM epc_state p"
            " WHERE p.brand_id = epc_state.brand_id AND p.epc_key = epc_state.root_key AND p.parent_key IS NOT NULL"
            " AND p.epc_key <> epc_state.epc_key)"))
        if not moved.rowcount:
            return


def upgrade() -> None:
    op.add_column('epc_state', sa.Column('root_key', sa.String(length=300), nullable=True))
    _fill_roots()
    op.create_table(
        'lot_unit_count',
        sa.Column('lot_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('n', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.PrimaryKeyConstraint('lot_id'),
    )
    op.execute(_lot_units("unit", "1"))
    op.create_table(
        'item_state_count',
        sa.Column('brand_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('root_key', sa.String(length=300), nullable=False),
        sa.Column('lot_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('biz_step', sa.String(length=300), nullable=False),
        sa.Column('disposition', sa.String(length=300), nullable=False),
        sa.Column('location', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=5), nullable=False),
        sa.Column('verified', sa.Boolean(), nullable=False),
        sa.Column('n', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.PrimaryKeyConstraint('brand_id', 'root_key', 'lot_id', 'biz_step', 'disposition', 'location', 'kind',
                                'verified'),
    )
    op.create_index('ix_item_state_count_brand_id_lot_id', 'item_state_count', ['brand_id', 'lot_id'], unique=False)
    op.create_index('ix_epc_state_container_root', 'epc_state', ['brand_id', 'root_key'], unique=False,
                    postgresql_where=sa.text("substr(epc_key, 1, 2) = '00'"),
                    sqlite_where=sa.text("substr(epc_key, 1, 2) = '00'"))
    op.execute(_add(_groups("epc_state", "1")))
    if op.get_bind().dialect.name == "postgresql":
        for name, sql in _PG_FUNCTIONS.items():
            op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                       f"BEGIN\n{sql};\nRETURN NULL;\nEND\n$$")
        for table, trigger, operation, transition, function in _PG_TRIGGERS:
            op.execute(f"CREATE TRIGGER {trigger} AFTER {operation} ON {table} REFERENCING {transition}"
                       f" FOR EACH STATEMENT EXECUTE FUNCTION {function}()")
        op.execute(_PG_FIRST_VERIFICATION)
        op.execute(_PG_FIRST_VERIFICATION_TRIGGER)
        return
    for table, trigger, operation, when, sql in _SQLITE_TRIGGERS:
        op.execute(f"CREATE TRIGGER {trigger} AFTER {operation} ON {table} FOR EACH ROW{when} BEGIN {sql}; END")


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, trigger, *_ in (_PG_TRIGGERS if postgres else _SQLITE_TRIGGERS):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}" + (f" ON {table}" if postgres else ""))
    if postgres:
        op.execute("DROP TRIGGER IF EXISTS item_state_count_verified ON verification")
        for name in (*_PG_FUNCTIONS, "tracemark_item_states_verified"):
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_index('ix_epc_state_container_root', table_name='epc_state')
    op.drop_index('ix_item_state_count_brand_id_lot_id', table_name='item_state_count')
    op.drop_table('item_state_count')
    op.drop_table('lot_unit_count')
    with op.batch_alter_table('epc_state', schema=None) as batch_op:
        batch_op.drop_column('root_key')
