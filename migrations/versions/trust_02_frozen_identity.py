"""Published editions keep who published them: catalogue_version.operator_name_en, and the name, credit code and
complaint phone of every published or superseded version backfilled from its operator's record

Revision ID: trust_02_frozen_identity
Revises: trust_01_shared_counters
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "trust_02_frozen_identity"
down_revision = "trust_01_shared_counters"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("catalogue_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("operator_name_en", sa.String(length=200), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.text(
            "SELECT v.id, v.complaint_phone, o.name_zh, o.name_en, o.credit_code, o.complaint_phones "
            "FROM catalogue_version v JOIN catalogue c ON c.id = v.catalogue_id JOIN operator o ON o.id = c.operator_id "
            "WHERE v.status IN ('published', 'superseded')"
        )
    ).all()
    for version_id, phone, name_zh, name_en, credit_code, phones in rows:
        if isinstance(phones, str):
            phones = json.loads(phones or "[]")
        connection.execute(
            sa.text(
                "UPDATE catalogue_version SET operator_name = :name_zh, operator_name_en = :name_en, "
                "credit_code = :credit_code, complaint_phone = :phone WHERE id = :id"
            ),
            {
                "id": version_id,
                "name_zh": name_zh,
                "name_en": name_en,
                "credit_code": credit_code,
                "phone": (phone or "").strip() or "；".join(phones or ()),
            },
        )


def downgrade():
    with op.batch_alter_table("catalogue_version", schema=None) as batch_op:
        batch_op.drop_column("operator_name_en")
