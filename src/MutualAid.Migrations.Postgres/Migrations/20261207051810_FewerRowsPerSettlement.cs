using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class FewerRowsPerSettlement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "approved_by_rule_up_to",
                table: "claims",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "approved_by_rule_up_to",
                table: "claims");
        }
    }
}
