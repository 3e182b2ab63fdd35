using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace MutualAid.Migrations.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class MemberTransfers : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "member_transfers",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    member_id = table.Column<long>(type: "bigint", nullable: false),
                    from_unit_id = table.Column<long>(type: "bigint", nullable: true),
                    to_unit_id = table.Column<long>(type: "bigint", nullable: false),
                    at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    by = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    reason = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_member_transfers", x => x.id);
                    table.ForeignKey(
                        name: "FK_member_transfers_members_member_id",
                        column: x => x.member_id,
                        principalTable: "members",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_member_transfers_units_from_unit_id",
                        column: x => x.from_unit_id,
                        principalTable: "units",
                        principalColumn: "id");
                    table.ForeignKey(
                        name: "FK_member_transfers_units_to_unit_id",
                        column: x => x.to_unit_id,
                        principalTable: "units",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_member_transfers_from_unit_id",
                table: "member_transfers",
                column: "from_unit_id");

            migrationBuilder.CreateIndex(
                name: "IX_member_transfers_member_id",
                table: "member_transfers",
                column: "member_id");

            migrationBuilder.CreateIndex(
                name: "IX_member_transfers_to_unit_id",
                table: "member_transfers",
                column: "to_unit_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "member_transfers");
        }
    }
}
