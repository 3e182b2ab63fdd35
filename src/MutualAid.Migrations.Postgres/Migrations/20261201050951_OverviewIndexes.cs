using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OverviewIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_enrollments_status_plan_code_end_start",
                table: "enrollments",
                columns: new[] { "status", "plan_code", "end", "start" });

            migrationBuilder.CreateIndex(
                name: "IX_claims_state_event_date_total",
                table: "claims",
                columns: new[] { "state", "event_date", "total" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_enrollments_status_plan_code_end_start",
                table: "enrollments");

            migrationBuilder.DropIndex(
                name: "IX_claims_state_event_date_total",
                table: "claims");
        }
    }
}
