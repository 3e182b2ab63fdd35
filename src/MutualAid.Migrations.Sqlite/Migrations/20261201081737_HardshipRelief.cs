using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class HardshipRelief : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<long>(
                name: "claim_id",
                table: "payments",
                type: "INTEGER",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "INTEGER");

            migrationBuilder.AddColumn<long>(
                name: "relief_id",
                table: "payments",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "hardship_files",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    evidence = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    review_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    opened_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    opened_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    approved_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_hardship_files", x => x.id);
                    table.ForeignKey(
                        name: "FK_hardship_files_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "relief_budgets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    committed = table.Column<long>(type: "INTEGER", nullable: false),
                    set_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    set_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_relief_budgets", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "relief_applications",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    hardship_file_id = table.Column<long>(type: "INTEGER", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    meeting = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    note = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    entered_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    entered_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    checked_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    checked_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    refusal_reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    paid_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    paid_by = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_relief_applications", x => x.id);
                    table.ForeignKey(
                        name: "FK_relief_applications_hardship_files_hardship_file_id",
                        column: x => x.hardship_file_id,
                        principalTable: "hardship_files",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_relief_applications_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ux_payments_live_relief",
                table: "payments",
                column: "relief_id",
                unique: true,
                filter: "state <> 'Failed'");

            migrationBuilder.AddCheckConstraint(
                name: "ck_payments_claim_or_relief",
                table: "payments",
                sql: "(claim_id IS NULL) <> (relief_id IS NULL)");

            migrationBuilder.CreateIndex(
                name: "IX_hardship_files_member_id",
                table: "hardship_files",
                column: "member_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_relief_applications_hardship_file_id",
                table: "relief_applications",
                column: "hardship_file_id");

            migrationBuilder.CreateIndex(
                name: "IX_relief_applications_year_state",
                table: "relief_applications",
                columns: new[] { "year", "state" });

            migrationBuilder.CreateIndex(
                name: "ux_relief_live_member_year",
                table: "relief_applications",
                columns: new[] { "member_id", "year" },
                unique: true,
                filter: "state <> 'Refused'");

            migrationBuilder.CreateIndex(
                name: "IX_relief_budgets_year",
                table: "relief_budgets",
                column: "year",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_payments_relief_applications_relief_id",
                table: "payments",
                column: "relief_id",
                principalTable: "relief_applications",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_payments_relief_applications_relief_id",
                table: "payments");

            migrationBuilder.DropTable(
                name: "relief_applications");

            migrationBuilder.DropTable(
                name: "relief_budgets");

            migrationBuilder.DropTable(
                name: "hardship_files");

            migrationBuilder.DropIndex(
                name: "ux_payments_live_relief",
                table: "payments");

            migrationBuilder.DropCheckConstraint(
                name: "ck_payments_claim_or_relief",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "relief_id",
                table: "payments");

            migrationBuilder.AlterColumn<long>(
                name: "claim_id",
                table: "payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "INTEGER",
                oldNullable: true);
        }
    }
}
