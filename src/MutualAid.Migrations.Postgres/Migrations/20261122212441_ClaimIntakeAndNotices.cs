using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ClaimIntakeAndNotices : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "due_by",
                table: "claims",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Claims taken before the promise was kept on the claim: the default 7 days.
            migrationBuilder.Sql("UPDATE claims SET due_by = created_at + interval '7 days';");

            migrationBuilder.AddColumn<DateTime>(
                name: "paid_at",
                table: "claims",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "claim_documents",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    claim_id = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    file_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    content_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    size = table.Column<int>(type: "integer", nullable: false),
                    sha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    content = table.Column<byte[]>(type: "bytea", nullable: false),
                    added_by = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    added_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claim_documents", x => x.id);
                    table.ForeignKey(
                        name: "FK_claim_documents_claims_claim_id",
                        column: x => x.claim_id,
                        principalTable: "claims",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "claim_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false),
                    admission_date = table.Column<DateOnly>(type: "date", nullable: true),
                    discharge_date = table.Column<DateOnly>(type: "date", nullable: true),
                    diagnoses = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    grade = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    hospital = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    total_cost = table.Column<long>(type: "bigint", nullable: false),
                    insurance_paid = table.Column<long>(type: "bigint", nullable: false),
                    self_pay_in_scope = table.Column<long>(type: "bigint", nullable: false),
                    self_pay_out_of_scope = table.Column<long>(type: "bigint", nullable: false),
                    self_pay = table.Column<long>(type: "bigint", nullable: true),
                    cash_pay = table.Column<long>(type: "bigint", nullable: true),
                    loss = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_claim_events", x => x.id);
                    table.ForeignKey(
                        name: "FK_claim_events_claims_id",
                        column: x => x.id,
                        principalTable: "claims",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "notices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    topic = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    claim_id = table.Column<long>(type: "bigint", nullable: true),
                    text = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    created_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    gave_up_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    last_error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    lease_owner = table.Column<Guid>(type: "uuid", nullable: true),
                    lease_until = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notices", x => x.id);
                    table.ForeignKey(
                        name: "FK_notices_claims_claim_id",
                        column: x => x.claim_id,
                        principalTable: "claims",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_notices_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "recoveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    claim_id = table.Column<long>(type: "bigint", nullable: false),
                    refund_settlement_id = table.Column<long>(type: "bigint", nullable: false),
                    amount = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    opened_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_recoveries", x => x.id);
                    table.ForeignKey(
                        name: "FK_recoveries_claims_claim_id",
                        column: x => x.claim_id,
                        principalTable: "claims",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_recoveries_settlements_refund_settlement_id",
                        column: x => x.refund_settlement_id,
                        principalTable: "settlements",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_claims_due_by",
                table: "claims",
                column: "due_by");

            migrationBuilder.CreateIndex(
                name: "IX_claim_documents_claim_id",
                table: "claim_documents",
                column: "claim_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_claim_id",
                table: "notices",
                column: "claim_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_member_id",
                table: "notices",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_notices_sent_at_gave_up_at_next_attempt_at",
                table: "notices",
                columns: new[] { "sent_at", "gave_up_at", "next_attempt_at" });

            migrationBuilder.CreateIndex(
                name: "IX_recoveries_claim_id",
                table: "recoveries",
                column: "claim_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_recoveries_refund_settlement_id",
                table: "recoveries",
                column: "refund_settlement_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "claim_documents");

            migrationBuilder.DropTable(
                name: "claim_events");

            migrationBuilder.DropTable(
                name: "notices");

            migrationBuilder.DropTable(
                name: "recoveries");

            migrationBuilder.DropIndex(
                name: "IX_claims_due_by",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "due_by",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "paid_at",
                table: "claims");
        }
    }
}
