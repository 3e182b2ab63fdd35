using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class HardshipReview : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "closed_reason",
                table: "hardship_files",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "reviewed_at",
                table: "hardship_files",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "reviewed_by",
                table: "hardship_files",
                type: "character varying(50)",
                maxLength: 50,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_members_hardship",
                table: "members",
                column: "hardship",
                filter: "hardship");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_members_hardship",
                table: "members");

            migrationBuilder.DropColumn(
                name: "closed_reason",
                table: "hardship_files");

            migrationBuilder.DropColumn(
                name: "reviewed_at",
                table: "hardship_files");

            migrationBuilder.DropColumn(
                name: "reviewed_by",
                table: "hardship_files");
        }
    }
}
