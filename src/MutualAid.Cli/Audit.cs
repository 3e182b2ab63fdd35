using System.CommandLine;
using System.CommandLine.Parsing;
using MutualAid.Auditing;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Cli;

/// <summary>
/// A CLI verb that changes data, for the audit trail (操作日志): who ran it (the operating
/// system's user), which verb, on what, with the whole command line and its exit code. Verbs that
/// only read are not recorded. Passwords never reach the command line (they come on stdin).
/// </summary>
internal sealed record Audit(string Action, string Subject, string Detail)
{
    private static readonly HashSet<string> Reads = ["list", "show", "check", "balances", "overdue", "coverage", "template", "calc", "income", "budget", "loss-ratio", "reserve", "adequacy", "recompute", "whatif"];

    public static Audit? Of(ParseResult parse, string[] args)
    {
        var command = parse.CommandResult.Command;
        if (parse.Errors.Count > 0 || Reads.Contains(command.Name))
            return null;
        var path = new List<string>();
        for (SymbolResult? result = parse.CommandResult; result is CommandResult c; result = c.Parent)
            path.Insert(0, c.Command.Name);
        var arguments = parse.CommandResult.Children.OfType<ArgumentResult>().SelectMany(a => a.Tokens).Select(t => t.Value).ToList();
        return new Audit($"命令行 {string.Join(" ", path.Skip(1))}", arguments.Count > 0 ? string.Join(" ", arguments) : "—", string.Join(" ", args));
    }

    public async Task RecordAsync(Database database, int exitCode, CancellationToken cancellationToken)
    {
        await using var db = database.CreateContext();
        var user = $"{Environment.UserName}@{Environment.MachineName}";
        db.AuditEntries.Add(new AuditEntry(TimeProvider.System.Now(), user.Length > 50 ? user[..50] : user, Action.Length > 50 ? Action[..50] : Action,
            Subject.Length > 100 ? Subject[..100] : Subject, $"{Detail}（退出码 {exitCode}）", "命令行"));
        await db.SaveChangesAsync(cancellationToken);
    }
}
