using MutualAid.Data;

namespace MutualAid.Auditing;

/// <summary>The door a change came through.</summary>
public enum Origin
{
    /// <summary>网页: a person signed in to the web application.</summary>
    Web,
    /// <summary>接口: a caller of the HTTP API with a bearer token.</summary>
    Api,
    /// <summary>命令行: the mutualaid CLI (batch jobs, cron, operators).</summary>
    Cli,
    /// <summary>系统: the system itself (imports' automatic steps, the payment gateway's notification).</summary>
    System,
}

/// <summary>
/// Who does a business event, through which door, from where (an address, or the operating
/// system's user on the CLI). Every handler of the core takes one and writes it into the audit line
/// of the event, so a new page, verb or endpoint gets the audit trail by passing its actor.
/// </summary>
public sealed record Actor(string User, Origin Origin, string? From = null)
{
    public static Actor System(string user = "system") => new(user, Origin.System);

    /// <summary>The named user (the verb's --by) at the CLI, from the operating system's account.</summary>
    public static Actor Cli(string user) => new(user, Origin.Cli, Environment.UserName);

    /// <summary>The audit line's "from" column: the door and the address, e.g. 网页 10.0.0.8.</summary>
    public string Where
    {
        get
        {
            var door = Origin switch { Origin.Web => "网页", Origin.Api => "接口", Origin.Cli => "命令行", _ => "系统" };
            var where = From is null ? door : $"{door} {From}";
            return where.Length > 64 ? where[..64] : where;
        }
    }
}

public static class AuditTrail
{
    /// <summary>Adds the event's audit line to the unit of work; it is saved with the change it records, or not at all.</summary>
    public static void Audit(this MutualAidDbContext db, Actor actor, DateTime at, string action, string subject, string? detail = null) =>
        db.AuditEntries.Add(new AuditEntry(at, Cut(actor.User, 50), Cut(action, 50), Cut(subject, 100), detail, actor.Where));

    private static string Cut(string text, int length) => text.Length > length ? text[..length] : text;
}
