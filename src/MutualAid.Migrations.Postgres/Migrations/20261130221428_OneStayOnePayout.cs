using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class OneStayOnePayout : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_claims_matched_to_id",
                table: "claims",
                column: "matched_to_id");

            migrationBuilder.AddForeignKey(
                name: "FK_claims_claims_matched_to_id",
                table: "claims",
                column: "matched_to_id",
                principalTable: "claims",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            // A stay starts on its admission (the settlement's, or the clerk's for a manual claim); any other event on its date.
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

            migrationBuilder.DropIndex(
                name: "IX_claims_matched_to_id",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "matched_to_id",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "start_date",
                table: "claims");
        }
    }
}
