using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Settlements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "settlements",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    setl_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    admission_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    discharge_date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    hospital = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    division = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    diagnoses = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    medfee_sumamt = table.Column<long>(type: "INTEGER", nullable: false),
                    fund_pay_sumamt = table.Column<long>(type: "INTEGER", nullable: false),
                    fulamt_ownpay_amt = table.Column<long>(type: "INTEGER", nullable: false),
                    overlmt_selfpay = table.Column<long>(type: "INTEGER", nullable: false),
                    psn_part_amt = table.Column<long>(type: "INTEGER", nullable: false),
                    psn_cash_pay = table.Column<long>(type: "INTEGER", nullable: false),
                    settled_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    refunds_setl_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    refunded_by_setl_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    imported_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_settlements", x => x.id);
                    table.ForeignKey(
                        name: "FK_settlements_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_settlements_member_id_discharge_date",
                table: "settlements",
                columns: new[] { "member_id", "discharge_date" });

            migrationBuilder.CreateIndex(
                name: "IX_settlements_setl_id",
                table: "settlements",
                column: "setl_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "settlements");
        }
    }
}
