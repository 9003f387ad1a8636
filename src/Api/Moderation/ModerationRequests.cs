namespace EventChat.Api.Moderation;

public sealed record BanRequest(Guid? UserId, int? DurationSeconds, string? Reason);

public sealed record MuteMemberRequest(Guid? UserId, int? DurationSeconds, string? Reason);

public sealed record ReportRequest(string? Reason);

public sealed record ResolveReportRequest(string? Outcome, int? DurationSeconds);
