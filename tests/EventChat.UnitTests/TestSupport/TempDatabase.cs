using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace EventChat.UnitTests.TestSupport;

/// <summary>A SQLite file of one test's own, with the product's schema, deleted with its folder afterwards.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("eventchat-unit-");

    private TempDatabase()
    {
    }

    /// <summary>Unpooled, so that no connection keeps the file open once its context is gone.</summary>
    public string ConnectionString => $"Data Source={Path.Combine(_folder.FullName, "chat.db")};Pooling=False";

    public static async Task<TempDatabase> CreateAsync()
    {
        var database = new TempDatabase();
        using var db = database.Open();
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance)
            .MigrateAsync(CancellationToken.None)
            .WaitAsync(Within.Timeout);
        return database;
    }

    public void Configure(DbContextOptionsBuilder options) => options.UseSqlite(ConnectionString);

    public ChatDbContext Open() =>
        new(new DbContextOptionsBuilder<ChatDbContext>().UseSqlite(ConnectionString).Options);

    /// <summary>Adds a user and a public room owned by that user, with no messages yet.</summary>
    public async Task<Guid> SeedRoomAsync()
    {
        var name = $"owner-{Guid.NewGuid():N}";
        var owner = new User
        {
            Id = Guid.NewGuid(),
            UserName = name,
            NormalizedUserName = name,
            PasswordHash = "not-a-real-hash",
            CreatedAt = DateTimeOffset.UtcNow,
        };
        var room = new Room
        {
            Id = Guid.NewGuid(),
            Name = "general",
            NormalizedName = "general",
            Visibility = RoomVisibility.Public,
            OwnerId = owner.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };

        using var db = Open();
        db.Users.Add(owner);
        db.Rooms.Add(room);
        await db.SaveChangesAsync().WaitAsync(Within.Timeout);
        return room.Id;
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
