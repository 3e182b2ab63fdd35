using MutualAid.Common;
using MutualAid.Data;

namespace MutualAid.Auditing;

/// <summary>What the administrator narrows the audit log to: words in the subject or detail, a user, an action, days (Beijing time).</summary>
public sealed record AuditFilter(string? Search = null, string? User = null, string? Action = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>The audit log (操作日志) as a list: filter, order and paging in the database, newest first by default.</summary>
public static class AuditList
{
    public static readonly Sorting<AuditEntry> Sorting = new("id", true, ("id", a => a.Id), ("user", a => a.User), ("action", a => a.Action));

    public static IQueryable<AuditEntry> Query(MutualAidDbContext db, AuditFilter filter)
    {
        var entries = db.AuditEntries.AsQueryable();
        if (!string.IsNullOrWhiteSpace(filter.User))
            entries = entries.Where(a => a.User == filter.User);
        if (!string.IsNullOrWhiteSpace(filter.Action))
            entries = entries.Where(a => a.Action == filter.Action);
        if (filter.From is { } from)
        {
            var start = BeijingTime.StartOf(from);
            entries = entries.Where(a => a.At >= start);
        }
        if (filter.To is { } to)
        {
            var end = BeijingTime.StartOf(to.AddDays(1));
            entries = entries.Where(a => a.At < end);
        }
        if (filter.Search?.Trim() is { Length: > 0 } q)
            entries = entries.Where(a => a.Subject.Contains(q) || (a.Detail != null && a.Detail.Contains(q)));
        return entries;
    }
}
