using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class OnlinePremiumOrders : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "premium_orders",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    number = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    member_id = table.Column<long>(type: "INTEGER", nullable: false),
                    period_start = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    amount = table.Column<long>(type: "INTEGER", nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    expires_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    paid_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    transaction = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_premium_orders", x => x.id);
                    table.ForeignKey(
                        name: "FK_premium_orders_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_premium_orders_member_id",
                table: "premium_orders",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_premium_orders_number",
                table: "premium_orders",
                column: "number",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "premium_orders");
        }
    }
}
