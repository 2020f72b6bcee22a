"""search indexes and revision counters: distinct fee-name keys (pg_trgm on PostgreSQL), lines by name key, versions by catalogue

Revision ID: c3d1f0a2b7e4
Revises: 5b79d9aebe66
Create Date: 2026-11-23 12:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d1f0a2b7e4'
down_revision = '5b79d9aebe66'
branch_labels = None
depends_on = None


def upgrade():
    postgresql = op.get_bind().dialect.name == 'postgresql'
    if postgresql:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_table('fee_name',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fee_name')),
    sa.UniqueConstraint('key', name=op.f('uq_fee_name_key'))
    )
    op.create_table('revision',
    sa.Column('topic', sa.String(length=32), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('topic', name=op.f('pk_revision'))
    )
    if postgresql:
        op.create_index('ix_fee_name_key_trgm', 'fee_name', ['key'], unique=False,
                        postgresql_using='gin', postgresql_ops={'key': 'gin_trgm_ops'})
    op.execute("INSERT INTO fee_name (key) SELECT DISTINCT name_key FROM fee_line WHERE name_key <> ''")
    with op.batch_alter_table('fee_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fee_line_name_key'))
        batch_op.create_index('ix_fee_line_name_key_version', ['name_key', 'version_id'], unique=False)
    with op.batch_alter_table('catalogue_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalogue_version_catalogue_id'))
        batch_op.create_index('ix_catalogue_version_catalogue_status', ['catalogue_id', 'status', 'effective_from'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('catalogue_version', schema=None) as batch_op:
        batch_op.drop_index('ix_catalogue_version_catalogue_status')
        batch_op.create_index(batch_op.f('ix_catalogue_version_catalogue_id'), ['catalogue_id'], unique=False)
    with op.batch_alter_table('fee_line', schema=None) as batch_op:
        batch_op.drop_index('ix_fee_line_name_key_version')
        batch_op.create_index(batch_op.f('ix_fee_line_name_key'), ['name_key'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_index('ix_fee_name_key_trgm', table_name='fee_name')
    op.drop_table('fee_name')
    op.drop_table('revision')
