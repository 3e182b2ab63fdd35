using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class CoverWithoutEnrolment : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers");

            migrationBuilder.AlterColumn<long>(
                name: "to_unit_id",
                table: "member_transfers",
                type: "bigint",
                nullable: true,
                oldClrType: typeof(long),
                oldType: "bigint");

            migrationBuilder.AddColumn<long>(
                name: "cover_version_id",
                table: "claim_lines",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_claim_lines_cover_version_id",
                table: "claim_lines",
                column: "cover_version_id");

            migrationBuilder.AddForeignKey(
                name: "FK_claim_lines_plan_versions_cover_version_id",
                table: "claim_lines",
                column: "cover_version_id",
                principalTable: "plan_versions",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);

            migrationBuilder.AddForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers",
                column: "to_unit_id",
                principalTable: "units",
                principalColumn: "id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_claim_lines_plan_versions_cover_version_id",
                table: "claim_lines");

            migrationBuilder.DropForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers");

            migrationBuilder.DropIndex(
                name: "IX_claim_lines_cover_version_id",
                table: "claim_lines");

            migrationBuilder.DropColumn(
                name: "cover_version_id",
                table: "claim_lines");

            migrationBuilder.AlterColumn<long>(
                name: "to_unit_id",
                table: "member_transfers",
                type: "bigint",
                nullable: false,
                defaultValue: 0L,
                oldClrType: typeof(long),
                oldType: "bigint",
                oldNullable: true);

            migrationBuilder.AddForeignKey(
                name: "FK_member_transfers_units_to_unit_id",
                table: "member_transfers",
                column: "to_unit_id",
                principalTable: "units",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
