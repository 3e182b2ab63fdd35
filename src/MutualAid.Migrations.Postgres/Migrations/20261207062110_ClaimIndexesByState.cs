using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ClaimIndexesByState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_claims_due_by",
                table: "claims");

            migrationBuilder.DropIndex(
                name: "IX_claims_state",
                table: "claims");

            migrationBuilder.CreateIndex(
                name: "ix_claims_open",
                table: "claims",
                column: "id",
                filter: "state IN ('Submitted', 'PendingReview', 'Approved', 'Returned')");

            migrationBuilder.CreateIndex(
                name: "IX_claims_state_due_by",
                table: "claims",
                columns: new[] { "state", "due_by" });

            migrationBuilder.CreateIndex(
                name: "IX_claims_state_id",
                table: "claims",
                columns: new[] { "state", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_claims_open",
                table: "claims");

            migrationBuilder.DropIndex(
                name: "IX_claims_state_due_by",
                table: "claims");

            migrationBuilder.DropIndex(
                name: "IX_claims_state_id",
                table: "claims");

            migrationBuilder.CreateIndex(
                name: "IX_claims_due_by",
                table: "claims",
                column: "due_by");

            migrationBuilder.CreateIndex(
                name: "IX_claims_state",
                table: "claims",
                column: "state");
        }
    }
}
