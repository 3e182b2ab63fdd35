using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class BankAccountChanges : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "new_account",
                table: "payments",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "bank_account_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    old_bank_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    old_account = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    new_bank_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    new_account_tail = table.Column<string>(type: "TEXT", maxLength: 4, nullable: false),
                    source = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    made_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    door = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    made_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    effective_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    told_phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    decided_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    decided_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    decision_reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_bank_account_changes", x => x.id);
                    table.ForeignKey(
                        name: "FK_bank_account_changes_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_bank_account_changes_member_id_state",
                table: "bank_account_changes",
                columns: new[] { "member_id", "state" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bank_account_changes");

            migrationBuilder.DropColumn(
                name: "new_account",
                table: "payments");
        }
    }
}
