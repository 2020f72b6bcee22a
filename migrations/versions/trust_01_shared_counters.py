"""Throttles count in the shared rate-limit store: drop login_attempt and complaint_attempt; sessions carry a
per-user generation (user.session_version) that sign-out raises

Revision ID: trust_01_shared_counters
Revises: c3d1f0a2b7e4
"""

import sqlalchemy as sa
from alembic import op

revision = "trust_01_shared_counters"
down_revision = "c3d1f0a2b7e4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0", nullable=False))
    for table in ("login_attempt", "complaint_attempt"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_key"))
            batch_op.drop_index(batch_op.f(f"ix_{table}_created_at"))
        op.drop_table(table)


def downgrade():
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("remote_addr", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_table(
        "complaint_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaint_attempt")),
    )
    for table in ("login_attempt", "complaint_attempt"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_created_at"), ["created_at"], unique=False)
            batch_op.create_index(batch_op.f(f"ix_{table}_key"), ["key"], unique=False)
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_version")
