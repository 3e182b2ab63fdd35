using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Programmes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers");

            migrationBuilder.DropCheckConstraint(
                name: "ck_payments_claim_or_relief",
                table: "payments");

            migrationBuilder.AlterColumn<long>(
                name: "member_id",
                table: "payments",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "statement_id",
                table: "payments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "to_unit_id",
                table: "member_transfers",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "through_unit_id",
                table: "claims",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "cover_version_id",
                table: "claim_lines",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "model_workers",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    level = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    recorded_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    recorded_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_workers", x => x.id);
                    table.ForeignKey(
                        name: "FK_model_workers_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 18, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    rate_percent = table.Column<int>(type: "INTEGER", nullable: false),
                    visit_cap = table.Column<long>(type: "INTEGER", nullable: false),
                    year_cap = table.Column<long>(type: "INTEGER", nullable: false),
                    plan_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    bank_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    bank_account = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    active = table.Column<bool>(type: "INTEGER", nullable: false),
                    changed_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    changed_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    last_import_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "partner_statements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    partner_id = table.Column<long>(type: "INTEGER", nullable: false),
                    month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    rows = table.Column<int>(type: "INTEGER", nullable: false),
                    self_pay = table.Column<long>(type: "INTEGER", nullable: false),
                    discount = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    imported_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    imported_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    checked_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    checked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    refusal_reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    paid_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    paid_by = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_statements", x => x.id);
                    table.ForeignKey(
                        name: "FK_partner_statements_partners_partner_id",
                        column: x => x.partner_id,
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "partner_discounts",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    statement_id = table.Column<long>(type: "INTEGER", nullable: false),
                    partner_id = table.Column<long>(type: "INTEGER", nullable: false),
                    line_no = table.Column<int>(type: "INTEGER", nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    visit_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    settlement_id = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    self_pay = table.Column<long>(type: "INTEGER", nullable: false),
                    discount = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partner_discounts", x => x.id);
                    table.ForeignKey(
                        name: "FK_partner_discounts_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_partner_discounts_partner_statements_statement_id",
                        column: x => x.statement_id,
                        principalTable: "partner_statements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_partner_discounts_partners_partner_id",
                        column: x => x.partner_id,
                        principalTable: "partners",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ux_payments_live_statement",
                table: "payments",
                column: "statement_id",
                unique: true,
                filter: "state <> 'Failed'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_payments_claim_or_relief_or_statement",
                table: "payments",
                sql: "(CASE WHEN claim_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN relief_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN statement_id IS NULL THEN 0 ELSE 1 END) = 1 AND (member_id IS NULL) = (statement_id IS NOT NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_claims_through_unit_id",
                table: "claims",
                column: "through_unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_claim_lines_cover_version_id",
                table: "claim_lines",
                column: "cover_version_id");

            migrationBuilder.CreateIndex(
                name: "IX_model_workers_member_id",
                table: "model_workers",
                column: "member_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partner_discounts_member_id",
                table: "partner_discounts",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_partner_discounts_partner_id_member_id_visit_date",
                table: "partner_discounts",
                columns: new[] { "partner_id", "member_id", "visit_date" });

            migrationBuilder.CreateIndex(
                name: "IX_partner_discounts_settlement_id",
                table: "partner_discounts",
                column: "settlement_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_partner_discounts_statement_id_line_no",
                table: "partner_discounts",
                columns: new[] { "statement_id", "line_no" });

            migrationBuilder.CreateIndex(
                name: "IX_partner_statements_state_month",
                table: "partner_statements",
                columns: new[] { "state", "month" });

            migrationBuilder.CreateIndex(
                name: "ux_partner_statements_live_month",
                table: "partner_statements",
                columns: new[] { "partner_id", "month" },
                unique: true,
                filter: "state <> 'Refused'");

            migrationBuilder.CreateIndex(
                name: "IX_partners_code",
                table: "partners",
                column: "code",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_claim_lines_plan_versions_cover_version_id",
                table: "claim_lines",
                column: "cover_version_id",
                principalTable: "plan_versions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_claims_units_through_unit_id",
                table: "claims",
                column: "through_unit_id",
                principalTable: "units",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers",
                column: "to_unit_id",
                principalTable: "units",
                principalColumn: "id");

            migrationBuilder.AddForeignKey(
                name: "FK_payments_partner_statements_statement_id",
                table: "payments",
                column: "statement_id",
                principalTable: "partner_statements",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_claim_lines_plan_versions_cover_version_id",
                table: "claim_lines");

            migrationBuilder.DropForeignKey(
                name: "FK_claims_units_through_unit_id",
                table: "claims");

            migrationBuilder.DropForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers");

            migrationBuilder.DropForeignKey(
                name: "FK_payments_partner_statements_statement_id",
                table: "payments");

            migrationBuilder.DropTable(
                name: "model_workers");

            migrationBuilder.DropTable(
                name: "partner_discounts");

            migrationBuilder.DropTable(
                name: "partner_statements");

            migrationBuilder.DropTable(
                name: "partners");

            migrationBuilder.DropIndex(
                name: "ux_payments_live_statement",
                table: "payments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_payments_claim_or_relief_or_statement",
                table: "payments");

            migrationBuilder.DropIndex(
                name: "IX_claims_through_unit_id",
                table: "claims");

            migrationBuilder.DropIndex(
                name: "IX_claim_lines_cover_version_id",
                table: "claim_lines");

            migrationBuilder.DropColumn(
                name: "statement_id",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "through_unit_id",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "cover_version_id",
                table: "claim_lines");

            migrationBuilder.AlterColumn<long>(
                name: "member_id",
                table: "payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AlterColumn<long>(
                name: "to_unit_id",
                table: "member_transfers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);

            migrationBuilder.AddCheckConstraint(
                name: "ck_payments_claim_or_relief",
                table: "payments",
                sql: "(claim_id IS NULL) <> (relief_id IS NULL)");

            migrationBuilder.AddForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers",
                column: "to_unit_id",
                principalTable: "units",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
