using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class PlanBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "plan_budgets",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    year = table.Column<int>(type: "INTEGER", nullable: false),
                    plan_code = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    income = table.Column<long>(type: "INTEGER", nullable: false),
                    expenditure = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_plan_budgets", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_plan_budgets_year_plan_code",
                table: "plan_budgets",
                columns: new[] { "year", "plan_code" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plan_budgets");
        }
    }
}
