using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Premiums : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "premium_payments",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    payer = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    unit_id = table.Column<long>(type: "INTEGER", nullable: true),
                    member_id = table.Column<long>(type: "INTEGER", nullable: true),
                    period_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    paid_on = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    reference = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_premium_payments", x => x.id);
                    table.ForeignKey(
                        name: "FK_premium_payments_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_premium_payments_units_unit_id",
                        column: x => x.unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_premium_payments_member_id",
                table: "premium_payments",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_premium_payments_reference",
                table: "premium_payments",
                column: "reference",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_premium_payments_unit_id_period_start",
                table: "premium_payments",
                columns: new[] { "unit_id", "period_start" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "premium_payments");
        }
    }
}
