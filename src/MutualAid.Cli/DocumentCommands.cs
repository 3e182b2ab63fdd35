using System.CommandLine;
using MutualAid.Data;
using MutualAid.Documents;

namespace MutualAid.Cli;

/// <summary>
/// <c>mutualaid documents move | check</c>: the claims' documents in the document store
/// (<c>Documents:Folder</c> / <c>MUTUALAID_DOCUMENTS</c>, else <c>documents/</c> beside the database; docs/operations.md).
/// </summary>
internal static class DocumentCommands
{
    public static Command Create()
    {
        var (db, json) = (Shared.DbOption(), Shared.JsonOption());
        var move = new Command("move", $"把升级前存在数据库中的材料移入文件库：逐件写入、读回核对校验值后才清空库中内容；每批 {DocumentUpkeep.BatchSize} 件，可重复运行") { db, json };
        move.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var report = await new DocumentUpkeep(context).MoveAsync(ct);
            Shared.Say(parse.GetValue(json), report, $"已移入文件库 {report.Moved} 件（{Folder(context)}）" + (report.Bad.Count > 0 ? $"，未能移动 {report.Bad.Count} 件：" : ""));
            return Bad(parse.GetValue(json), report.Bad);
        }, cancellationToken));

        var (checkDb, checkJson) = (Shared.DbOption(), Shared.JsonOption());
        var check = new Command("check", "核对每件材料在文件库中都有文件且校验值相符；有缺失或不符的逐件列出，退出码为 1") { checkDb, checkJson };
        check.SetAction((parse, cancellationToken) => Shared.WithDatabaseAsync(parse.GetValue(checkDb), async (context, ct) =>
        {
            var report = await new DocumentUpkeep(context).CheckAsync(ct);
            Shared.Say(parse.GetValue(checkJson), report, $"文件库 {Folder(context)}：相符 {report.Stored} 件"
                + (report.InDatabase > 0 ? $"，仍在数据库中 {report.InDatabase} 件（请运行 mutualaid documents move）" : "")
                + (report.Bad.Count > 0 ? $"，缺失或不符 {report.Bad.Count} 件：" : ""));
            return Bad(parse.GetValue(checkJson), report.Bad);
        }, cancellationToken));
        return new Command("documents", "理赔材料文件库") { move, check };
    }

    private static string Folder(MutualAidDbContext db) => db.Documents() is FolderDocumentStore folder ? folder.Folder : "对象存储";

    /// <summary>Lists the bad rows (for people; JSON has them already) and gives the exit code: 1 when there are any.</summary>
    private static int Bad(bool json, IReadOnlyList<string> bad)
    {
        if (!json)
            foreach (var line in bad)
                Console.WriteLine(line);
        return bad.Count > 0 ? ExitCodes.Failed : ExitCodes.Ok;
    }
}
