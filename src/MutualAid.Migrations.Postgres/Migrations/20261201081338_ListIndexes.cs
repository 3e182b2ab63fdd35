using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ListIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_payments_batch_id_state_new_account",
                table: "payments",
                columns: new[] { "batch_id", "state", "new_account" });

            migrationBuilder.CreateIndex(
                name: "IX_notices_sent_at_last_error",
                table: "notices",
                columns: new[] { "sent_at", "last_error" });

            migrationBuilder.CreateIndex(
                name: "ux_journal_entries_opening_balance",
                table: "journal_entries",
                column: "kind",
                unique: true,
                filter: "kind = 'OpeningBalance'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_payments_batch_id_state_new_account",
                table: "payments");

            migrationBuilder.DropIndex(
                name: "IX_notices_sent_at_last_error",
                table: "notices");

            migrationBuilder.DropIndex(
                name: "ux_journal_entries_opening_balance",
                table: "journal_entries");
        }
    }
}
