using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class ModelWorkersUnitClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "through_unit_id",
                table: "claims",
                type: "bigint",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "model_workers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    level = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    title = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    year = table.Column<int>(type: "integer", nullable: false),
                    recorded_by = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: false),
                    recorded_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_workers", x => x.id);
                    table.ForeignKey(
                        name: "FK_model_workers_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_claims_through_unit_id",
                table: "claims",
                column: "through_unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_model_workers_member_id",
                table: "model_workers",
                column: "member_id",
                unique: true);

            migrationBuilder.AddForeignKey(
                name: "FK_claims_units_through_unit_id",
                table: "claims",
                column: "through_unit_id",
                principalTable: "units",
                principalColumn: "id",
                onDelete: ReferentialAction.Restrict);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_claims_units_through_unit_id",
                table: "claims");

            migrationBuilder.DropTable(
                name: "model_workers");

            migrationBuilder.DropIndex(
                name: "IX_claims_through_unit_id",
                table: "claims");

            migrationBuilder.DropColumn(
                name: "through_unit_id",
                table: "claims");
        }
    }
}
