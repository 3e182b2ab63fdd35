using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MutualAid.Access;
using MutualAid.Auditing;
using MutualAid.Benefits;
using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Cli;

/// <summary>The options every database verb takes, and how such a verb runs.</summary>
internal static class Shared
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The verb being run, when it changes data: written to the audit trail once it has run.</summary>
    public static Audit? Audited { get; set; }

    public static Option<string?> DbOption() => new("--db")
    {
        Description = $"数据库：SQLite 文件（或 Data Source=…）或 PostgreSQL（Host=…）；默认取 {Database.EnvironmentVariable}，再默认 {Database.DefaultFile}",
    };

    public static Option<string?> SplitOption() => new("--split")
    {
        Description = "保费分担比例，如 单位=60,个人=40（可用 个人、单位、工会、政府、捐赠）；默认单位参保由单位、个人参保由本人、赠送由工会承担",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "以 JSON 输出，供脚本使用" };

    /// <summary>
    /// Opens the database (refusing one that is not migrated), runs the verb, and turns invalid
    /// input into exit code 2 with every problem on stderr.
    /// </summary>
    public static async Task<int> WithDatabaseAsync(string? connection, Func<MutualAidDbContext, CancellationToken, Task<int>> verb, CancellationToken cancellationToken)
    {
        var database = Database.Resolve(connection);
        if (database.IsMissingFile)
        {
            await Console.Error.WriteLineAsync($"数据库 {database.Display} 不存在，请先运行 mutualaid db migrate（或 mutualaid demo）");
            return ExitCodes.Failed;
        }
        await using var db = database.CreateContext();
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            if (pending.Count > 0)
            {
                await Console.Error.WriteLineAsync($"数据库 {database.Display} 尚未初始化或版本过旧，请先运行 mutualaid db migrate");
                return ExitCodes.Failed;
            }
            var exit = await verb(db, cancellationToken);
            if (Audited is { } audit)
                await audit.RecordAsync(database, exit, cancellationToken);
            return exit;
        }
        catch (InvalidInputException e)
        {
            foreach (var problem in e.Problems)
                await Console.Error.WriteLineAsync(problem.ToString());
            return ExitCodes.Invalid;
        }
        catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"数据库 {database.Display} 出错：{e.GetBaseException().Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>A YYYY-MM-DD option value, or <paramref name="fallback"/> when absent; a bad one is invalid input naming the option.</summary>
    public static DateOnly Date(string? text, string option, DateOnly? fallback = null)
    {
        if (text is null && fallback is { } day)
            return day;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date))
            return date;
        throw new InvalidInputException([new Problem(option, $"“{text}”不是 YYYY-MM-DD 格式的日期")]);
    }

    /// <summary>An amount in yuan from an option, or invalid input naming the option.</summary>
    public static Common.Money Amount(string? text, string option) =>
        Common.Money.TryParse(text, out var money) ? money : throw new InvalidInputException([NotAmount(option, text)]);

    public static Problem NotAmount(string option, string? text) => new(option, $"“{text}”不是金额（元，最多两位小数）");

    public static DateOnly Today => TimeProvider.System.Today();

    /// <summary>The actor of a verb without --by: the operating system's user who ran it.</summary>
    public static Auditing.Actor OperatingSystemUser => Auditing.Actor.Cli(Environment.UserName);

    /// <summary>The value as JSON for scripts, or the sentence for people.</summary>
    public static void Say(bool json, object value, string text)
    {
        if (json)
            WriteJson(value);
        else
            Console.WriteLine(text);
    }

    public static void WriteJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    public static T? StateOf<T>(string? text) where T : struct, Enum =>
        text is null ? null : Enum.TryParse<T>(text, ignoreCase: true, out var state) && !int.TryParse(text, out _) ? state
            : throw new InvalidInputException("--state", $"“{text}”不是可选的状态（{string.Join("、", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}）");

    public static async Task<UserScope> ScopeAsync(MutualAidDbContext db, string userName, CancellationToken cancellationToken) =>
        await UserScope.OfAsync(db, userName, cancellationToken)
        ?? throw new InvalidInputException("--by", $"“{userName}”不是已登记且未停用的用户（mutualaid user list）");

    /// <summary>Whom a verb acts as: a registered user, whose scope the handler checks.</summary>
    public static Option<string> By(string what) => new("--by") { Description = $"{what}（已登记的用户名）", Required = true };

    /// <summary>
    /// A second person's check of a numbered record (核准, or 不予核准 with <c>--reason</c>): the
    /// handler is given the checker's scope, the number, the reason and the actor; <paramref name="say"/>
    /// gives what is printed (JSON and words).
    /// </summary>
    public static Command Check<T>(string name, string description, string number, string checker, bool refuse,
        Func<MutualAidDbContext, UserScope, string, string?, Actor, CancellationToken, Task<T>> act, Func<T, (object Json, string Text)> say)
    {
        var numberArgument = new Argument<string>("NUMBER") { Description = number };
        var reason = new Option<string>("--reason") { Description = "不予核准的原因", Required = true };
        var (by, db, json) = (By(checker), DbOption(), JsonOption());
        var command = new Command(name, description) { numberArgument, by, db, json };
        if (refuse)
            command.Add(reason);
        command.SetAction((parse, cancellationToken) => WithDatabaseAsync(parse.GetValue(db), async (context, ct) =>
        {
            var who = parse.GetValue(by)!;
            var done = await act(context, await ScopeAsync(context, who, ct), parse.GetValue(numberArgument)!, refuse ? parse.GetValue(reason) : null, Actor.Cli(who), ct);
            var (value, text) = say(done);
            Say(parse.GetValue(json), value, text);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
