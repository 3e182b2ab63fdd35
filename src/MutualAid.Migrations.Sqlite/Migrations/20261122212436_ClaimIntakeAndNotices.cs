using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
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
                type: "TEXT",
                nullable: false,
                defaultValue: new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified));

            // Claims taken before the promise was kept on the claim: the default 7 days.
            migrationBuilder.Sql("UPDATE claims SET due_by = datetime(created_at, '+7 days');");

            migrationBuilder.AddColumn<DateTime>(
                name: "paid_at",
                table: "claims",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "claim_documents",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    claim_id = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    file_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    content_type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    size = table.Column<int>(type: "INTEGER", nullable: false),
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    content = table.Column<byte[]>(type: "BLOB", nullable: false),
                    added_by = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    added_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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
                    id = table.Column<long>(type: "INTEGER", nullable: false),
                    admission_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    discharge_date = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    diagnoses = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    grade = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    hospital = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    total_cost = table.Column<long>(type: "INTEGER", nullable: false),
                    insurance_paid = table.Column<long>(type: "INTEGER", nullable: false),
                    self_pay_in_scope = table.Column<long>(type: "INTEGER", nullable: false),
                    self_pay_out_of_scope = table.Column<long>(type: "INTEGER", nullable: false),
                    self_pay = table.Column<long>(type: "INTEGER", nullable: true),
                    cash_pay = table.Column<long>(type: "INTEGER", nullable: true),
                    loss = table.Column<long>(type: "INTEGER", nullable: false)
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    topic = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    claim_id = table.Column<long>(type: "INTEGER", nullable: true),
                    text = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    sent_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    gave_up_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    lease_owner = table.Column<Guid>(type: "TEXT", nullable: true),
                    lease_until = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    claim_id = table.Column<long>(type: "INTEGER", nullable: false),
                    refund_settlement_id = table.Column<long>(type: "INTEGER", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    opened_at = table.Column<DateTime>(type: "TEXT", nullable: false)
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
