using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "bank_account_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    old_bank_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    old_account = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    new_bank_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    new_account_tail = table.Column<string>(type: "character varying(4)", maxLength: 4, nullable: false),
                    source = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    made_by = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    door = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    made_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    effective_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    told_phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    decided_by = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    decided_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    decision_reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false)
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
