using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ClaimArchive : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_payments_claims_claim_id",
                table: "payments");

            // Archived claims (mutualaid archive): each table's twin with the same columns in the same order, without
            // foreign keys, and a view of both that the archive's reading context queries (docs/decisions.md).
            // A later migration that changes one of these tables changes its twin too and creates the view again.
            migrationBuilder.Sql("CREATE TABLE archive_claims AS SELECT * FROM claims WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_claims_id ON archive_claims (id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_claims_member_id ON archive_claims (member_id);");
            migrationBuilder.Sql("CREATE VIEW all_claims AS SELECT * FROM claims UNION ALL SELECT * FROM archive_claims;");
            migrationBuilder.Sql("CREATE TABLE archive_claim_lines AS SELECT * FROM claim_lines WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_claim_lines_id ON archive_claim_lines (id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_claim_lines_claim_id ON archive_claim_lines (claim_id);");
            migrationBuilder.Sql("CREATE VIEW all_claim_lines AS SELECT * FROM claim_lines UNION ALL SELECT * FROM archive_claim_lines;");
            migrationBuilder.Sql("CREATE TABLE archive_claim_transitions AS SELECT * FROM claim_transitions WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_claim_transitions_id ON archive_claim_transitions (id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_claim_transitions_claim_id ON archive_claim_transitions (claim_id);");
            migrationBuilder.Sql("CREATE VIEW all_claim_transitions AS SELECT * FROM claim_transitions UNION ALL SELECT * FROM archive_claim_transitions;");
            migrationBuilder.Sql("CREATE TABLE archive_claim_events AS SELECT * FROM claim_events WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_claim_events_id ON archive_claim_events (id);");
            migrationBuilder.Sql("CREATE VIEW all_claim_events AS SELECT * FROM claim_events UNION ALL SELECT * FROM archive_claim_events;");
            migrationBuilder.Sql("CREATE TABLE archive_claim_documents AS SELECT * FROM claim_documents WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_claim_documents_id ON archive_claim_documents (id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_claim_documents_claim_id ON archive_claim_documents (claim_id);");
            migrationBuilder.Sql("CREATE VIEW all_claim_documents AS SELECT * FROM claim_documents UNION ALL SELECT * FROM archive_claim_documents;");
            migrationBuilder.Sql("CREATE TABLE archive_recoveries AS SELECT * FROM recoveries WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_recoveries_id ON archive_recoveries (id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_recoveries_claim_id ON archive_recoveries (claim_id);");
            migrationBuilder.Sql("CREATE VIEW all_recoveries AS SELECT * FROM recoveries UNION ALL SELECT * FROM archive_recoveries;");
            migrationBuilder.Sql("CREATE TABLE archive_notices AS SELECT * FROM notices WHERE 0;");
            migrationBuilder.Sql("CREATE UNIQUE INDEX ux_archive_notices_id ON archive_notices (id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_notices_claim_id ON archive_notices (claim_id);");
            migrationBuilder.Sql("CREATE INDEX ix_archive_notices_member_id ON archive_notices (member_id);");
            migrationBuilder.Sql("CREATE VIEW all_notices AS SELECT * FROM notices UNION ALL SELECT * FROM archive_notices;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW all_claims;");
            migrationBuilder.Sql("DROP TABLE archive_claims;");
            migrationBuilder.Sql("DROP VIEW all_claim_lines;");
            migrationBuilder.Sql("DROP TABLE archive_claim_lines;");
            migrationBuilder.Sql("DROP VIEW all_claim_transitions;");
            migrationBuilder.Sql("DROP TABLE archive_claim_transitions;");
            migrationBuilder.Sql("DROP VIEW all_claim_events;");
            migrationBuilder.Sql("DROP TABLE archive_claim_events;");
            migrationBuilder.Sql("DROP VIEW all_claim_documents;");
            migrationBuilder.Sql("DROP TABLE archive_claim_documents;");
            migrationBuilder.Sql("DROP VIEW all_recoveries;");
            migrationBuilder.Sql("DROP TABLE archive_recoveries;");
            migrationBuilder.Sql("DROP VIEW all_notices;");
            migrationBuilder.Sql("DROP TABLE archive_notices;");

            migrationBuilder.AddForeignKey(
                name: "FK_payments_claims_claim_id",
                table: "payments",
                column: "claim_id",
                principalTable: "claims",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }
    }
}
