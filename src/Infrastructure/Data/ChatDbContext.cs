using System.Text;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace EventChat.Infrastructure.Data;

/// <summary>
/// One model for PostgreSQL and SQLite. The schema itself comes from the SQL scripts in
/// <c>Data/Migrations</c>; this class only maps onto it, with snake_case names in both databases.
/// </summary>
public sealed class ChatDbContext(DbContextOptions<ChatDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<Room> Rooms => Set<Room>();

    public DbSet<RoomMember> RoomMembers => Set<RoomMember>();

    public DbSet<StoredMessage> Messages => Set<StoredMessage>();

    public DbSet<MessageReaction> Reactions => Set<MessageReaction>();

    public DbSet<StoredEvent> Events => Set<StoredEvent>();

    public DbSet<RetentionRun> RetentionRuns => Set<RetentionRun>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<RoomBan> RoomBans => Set<RoomBan>();

    public DbSet<RoomMute> RoomMutes => Set<RoomMute>();

    public DbSet<MessageReport> MessageReports => Set<MessageReport>();

    public DbSet<ModerationAction> ModerationActions => Set<ModerationAction>();

    public DbSet<OutboxMessage> Outbox => Set<OutboxMessage>();

    public DbSet<InboxMessage> Inbox => Set<InboxMessage>();

    public bool IsPostgres => Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.NormalizedUserName).IsUnique();
        });

        // The foreign keys are declared so that EF Core inserts parents before children in one SaveChanges.
        modelBuilder.Entity<RefreshToken>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId);
        });
        modelBuilder.Entity<Room>(e =>
        {
            e.ToTable("rooms");
            e.HasOne<User>().WithMany().HasForeignKey(r => r.OwnerId);
        });
        modelBuilder.Entity<RoomMember>(e =>
        {
            e.ToTable("room_members");
            e.HasKey(m => new { m.RoomId, m.UserId });
            e.HasOne<Room>().WithMany().HasForeignKey(m => m.RoomId);
            e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId);
        });
        modelBuilder.Entity<StoredMessage>(e =>
        {
            e.ToTable("messages");
            e.HasKey(m => new { m.RoomId, m.Seq });
            e.HasOne<Room>().WithMany().HasForeignKey(m => m.RoomId);
        });
        modelBuilder.Entity<MessageReaction>(e =>
        {
            e.ToTable("message_reactions");
            e.HasKey(r => new { r.MessageId, r.Emoji, r.UserId });
        });
        modelBuilder.Entity<StoredEvent>(e =>
        {
            e.ToTable("room_events");
            e.HasKey(x => new { x.RoomId, x.Seq });
            e.HasOne<Room>().WithMany().HasForeignKey(x => x.RoomId);
        });
        modelBuilder.Entity<RetentionRun>().ToTable("retention_runs");
        modelBuilder.Entity<Notification>(e =>
        {
            e.ToTable("notifications");
            e.HasOne<User>().WithMany().HasForeignKey(n => n.UserId);
        });
        modelBuilder.Entity<RoomBan>(e =>
        {
            e.ToTable("room_bans");
            e.HasKey(b => new { b.RoomId, b.UserId });
        });
        modelBuilder.Entity<RoomMute>(e =>
        {
            e.ToTable("room_mutes");
            e.HasKey(m => new { m.RoomId, m.UserId });
        });
        modelBuilder.Entity<MessageReport>().ToTable("message_reports");
        modelBuilder.Entity<ModerationAction>().ToTable("moderation_actions");
        modelBuilder.Entity<OutboxMessage>().ToTable("outbox_messages");
        modelBuilder.Entity<InboxMessage>(e =>
        {
            e.ToTable("inbox_messages");
            e.HasKey(m => new { m.Consumer, m.MessageId });
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
