using MutualAid.Access;
using MutualAid.Common;
using MutualAid.Data;
using Microsoft.EntityFrameworkCore;

namespace MutualAid.Notifications;

/// <summary>Where an SMS of the outbox stands: not yet tried, failed (retried with backoff), given up after the last try, sent.</summary>
public enum NoticeState
{
    Pending,
    Failed,
    GaveUp,
    Sent,
}

/// <summary>
/// What a clerk narrows the SMS outbox to. <see cref="Search"/> is part of a mobile number, of the member's
/// name or of the text (a claim number); <see cref="From"/> and <see cref="To"/> the days the SMS was written.
/// </summary>
public sealed record NoticeFilter(string? Search = null, NoticeState? State = null, NoticeTopic? Topic = null, DateOnly? From = null, DateOnly? To = null);

/// <summary>An SMS as the outbox list shows it, with the member's name.</summary>
public sealed record NoticeRow
{
    public long Id { get; init; }
    public DateTime CreatedAt { get; init; }
    public long MemberId { get; init; }
    public string MemberName { get; init; } = "";
    public string Phone { get; init; } = "";
    public NoticeTopic Topic { get; init; }
    public string Text { get; init; } = "";
    public int Attempts { get; init; }
    public DateTime? SentAt { get; init; }
    public DateTime? GaveUpAt { get; init; }
    public string? LastError { get; init; }

    public NoticeState State => SentAt is not null ? NoticeState.Sent : GaveUpAt is not null ? NoticeState.GaveUp
        : LastError is not null ? NoticeState.Failed : NoticeState.Pending;

    /// <summary>A person may send it once more: not sent, and tried at least once without success.</summary>
    public bool Resendable => SentAt is null && LastError is not null;
}

/// <summary>The SMS outbox as a list, for the page and its Excel export: the members in scope, filter, order and paging in the database.</summary>
public static class NoticeList
{
    public static readonly Sorting<NoticeRow> Sorting = new("id", true,
        ("id", r => r.Id), ("member", r => r.MemberName), ("topic", r => r.Topic), ("attempts", r => r.Attempts), ("sent", r => r.SentAt));

    /// <summary>The notices of the user's scope that pass the filter: what the list shows, counted without joining the members.</summary>
    public static IQueryable<Notice> Filter(MutualAidDbContext db, UserScope scope, NoticeFilter filter)
    {
        var notices = db.Notices.AsQueryable();
        if (scope.MemberId is not null || scope.UnitId is not null || scope.DistrictId is not null)
        {
            var members = scope.Members(db).Select(m => m.Id);
            notices = notices.Where(n => members.Contains(n.MemberId));
        }
        notices = filter.State switch
        {
            NoticeState.Sent => notices.Where(n => n.SentAt != null),
            NoticeState.GaveUp => notices.Where(n => n.SentAt == null && n.GaveUpAt != null),
            // Failed as people ask for it: every SMS not delivered after a try, given up or not.
            NoticeState.Failed => notices.Where(n => n.SentAt == null && n.LastError != null),
            NoticeState.Pending => notices.Where(n => n.SentAt == null && n.LastError == null),
            _ => notices,
        };
        if (filter.Topic is { } topic)
            notices = notices.Where(n => n.Topic == topic);
        if (filter.From is { } from)
        {
            var start = BeijingTime.StartOf(from);
            notices = notices.Where(n => n.CreatedAt >= start);
        }
        if (filter.To is { } to)
        {
            var end = BeijingTime.StartOf(to.AddDays(1));
            notices = notices.Where(n => n.CreatedAt < end);
        }
        if (filter.Search?.Trim() is { Length: > 0 } q)
            notices = notices.Where(n => n.Phone.Contains(q) || n.Text.Contains(q) || db.Members.Any(m => m.Id == n.MemberId && m.Name.Contains(q)));
        return notices;
    }

    public static IQueryable<NoticeRow> Query(MutualAidDbContext db, UserScope scope, NoticeFilter filter) =>
        from n in Filter(db, scope, filter)
        join m in db.Members on n.MemberId equals m.Id
        select new NoticeRow
        {
            Id = n.Id, CreatedAt = n.CreatedAt, MemberId = m.Id, MemberName = m.Name, Phone = n.Phone, Topic = n.Topic, Text = n.Text,
            Attempts = n.Attempts, SentAt = n.SentAt, GaveUpAt = n.GaveUpAt, LastError = n.LastError,
        };

    /// <summary>A page of the list; <paramref name="total"/> when the caller counted it already (a count shared between pages), else counted here.</summary>
    public static async Task<PageOf<NoticeRow>> PageAsync(MutualAidDbContext db, UserScope scope, NoticeFilter filter, PageRequest request, CancellationToken cancellationToken, int? total = null) =>
        await Sorting.PageAsync(Query(db, scope, filter), request, cancellationToken, total ?? await Filter(db, scope, filter).CountAsync(cancellationToken));
}
