using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Messaging;
using EventChat.Workers.Moderation;
using EventChat.Workers.Notifications;
using EventChat.Workers.Persistence;
using EventChat.Workers.Retention;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EventChat.Workers;

public static class WorkerRoles
{
    /// <summary>Reads <c>Workers:Roles</c>: a comma-separated list of roles, <c>all</c>, or <c>none</c>.</summary>
    public static WorkerRole FromConfiguration(IConfiguration configuration)
    {
        var text = configuration["Workers:Roles"] ?? "all";
        var roles = WorkerRole.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            roles |= Enum.TryParse<WorkerRole>(name, ignoreCase: true, out var role)
                ? role
                : throw new InvalidOperationException($"Workers:Roles has an unknown role '{name}'. Use moderation, "
                    + "persistence, notifications, retention, all or none.");
        }

        return roles;
    }

    public static IServiceCollection AddWorkerRoleServices(
        this IServiceCollection services, IConfiguration configuration, WorkerRole roles)
    {
        if (roles.HasFlag(WorkerRole.Moderation))
        {
            var moderation = new ModerationOptions();
            configuration.GetSection("Moderation").Bind(moderation);
            moderation.Validate();
            services.AddSingleton(moderation);
            services.AddSingleton(new BlockedWordFilter(moderation.BlockedWords));
            services.AddModerator();
        }

        if (roles.HasFlag(WorkerRole.Persistence))
        {
            services.AddScoped<MessageStore>();
            services.AddOrderedBatcher<object>(QueueNames.Persistence, PersistenceConsumerDefinition.BatchSize,
                TransientFailures.IsDatabaseUnavailable,
                (scope, items, ct) => scope.GetRequiredService<MessageStore>().ApplyAsync(items, ct));
        }

        if (roles.HasFlag(WorkerRole.Notifications))
        {
            services.AddSingleton<RoomKinds>();
        }

        if (roles.HasFlag(WorkerRole.Retention))
        {
            var retention = new RetentionOptions();
            configuration.GetSection("Retention").Bind(retention);
            retention.Validate();
            services.AddSingleton(retention);
            services.AddScoped<RetentionSweeper>();
            services.AddHostedService<RetentionJob>();
        }

        return services;
    }

    /// <summary>The moderation stage's services besides its options and word list.</summary>
    public static IServiceCollection AddModerator(this IServiceCollection services)
    {
        services.AddSingleton<RepeatTracker>();
        services.AddSingleton<AccountAges>();
        services.AddScoped<AutoMuter>();
        services.AddScoped<Moderator>();
        return services.AddOrderedBatcher<object>(QueueNames.Moderation, ModerationConsumerDefinition.BatchSize,
            TransientFailures.IsStoreUnavailable,
            (scope, items, ct) => scope.GetRequiredService<Moderator>().ModerateAsync(items, ct));
    }

    public static void AddWorkerConsumers(this IBusRegistrationConfigurator bus, WorkerRole roles)
    {
        if (roles.HasFlag(WorkerRole.Moderation))
        {
            bus.AddConsumer<ModerationConsumer, ModerationConsumerDefinition>();
        }

        if (roles.HasFlag(WorkerRole.Persistence))
        {
            bus.AddConsumer<PersistenceConsumer, PersistenceConsumerDefinition>();
        }

        if (roles.HasFlag(WorkerRole.Notifications))
        {
            bus.AddConsumer<NotificationConsumer, NotificationConsumerDefinition>();
        }
    }
}
