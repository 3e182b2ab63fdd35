using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class PayoutSafeguards : Migration
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

            migrationBuilder.AddColumn<long>(
                name: "matched_to_id",
                table: "claims",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "start_date",
                table: "claims",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

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

            migrationBuilder.CreateTable(
                name: "member_transfers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    from_unit_id = table.Column<long>(type: "bigint", nullable: true),
                    to_unit_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_transfers", x => x.id);
                    table.ForeignKey(
                        name: "FK_member_transfers_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_member_transfers_units_from_unit_id",
                        column: x => x.from_unit_id,
                        principalTable: "units",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "FK_member_transfers_units_to_unit_id",
                        column: x => x.to_unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "one_time_codes",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    purpose = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    id_number = table.Column<string>(type: "character varying(18)", maxLength: 18, nullable: false),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    salt = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    minute = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    tries = table.Column<int>(type: "integer", nullable: false),
                    used_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_one_time_codes", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_claims_matched_to_id",
                table: "claims",
                column: "matched_to_id");

            migrationBuilder.CreateIndex(
                name: "IX_bank_account_changes_member_id_state",
                table: "bank_account_changes",
                columns: new[] { "member_id", "state" });

            migrationBuilder.CreateIndex(
                name: "IX_member_transfers_from_unit_id",
                table: "member_transfers",
                column: "from_unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_member_transfers_member_id",
                table: "member_transfers",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_member_transfers_to_unit_id",
                table: "member_transfers",
                column: "to_unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_one_time_codes_id_number_purpose",
                table: "one_time_codes",
                columns: new[] { "id_number", "purpose" });

            migrationBuilder.CreateIndex(
                name: "IX_one_time_codes_phone_minute",
                table: "one_time_codes",
                columns: new[] { "phone", "minute" },
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_claims_claims_matched_to_id",
                table: "claims",
                column: "matched_to_id",
                principalTable: "claims",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // Existing claims get the first day of their event: a hospital stay's admission, else the event's date.
            migrationBuilder.Sql("""
                UPDATE claims SET start_date = COALESCE(
                    (SELECT s.admission_date FROM settlements s WHERE s.id = claims.settlement_id AND claims.kind = 'Hospitalization'),
                    (SELECT e.admission_date FROM claim_events e WHERE e.id = claims.id AND claims.kind = 'Hospitalization'),
                    claims.event_date)
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_claims_claims_matched_to_id",
                table: "claims");

            migrationBuilder.DropTable(
                name: "bank_account_changes");

            migrationBuilder.DropTable(
                name: "member_transfers");

            migrationBuilder.DropTable(
                name: "one_time_codes");

            migrationBuilder.DropIndex(
                name: "IX_claims_matched_to_id",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "new_account",
                table: "payments");

            migrationBuilder.DropColumn(
                name: "matched_to_id",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "start_date",
                table: "claims");
        }
    }
}
