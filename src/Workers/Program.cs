using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Messaging;
using EventChat.Infrastructure.Redis;
using EventChat.Workers;

var builder = Host.CreateApplicationBuilder(args);
var roles = WorkerRoles.FromConfiguration(builder.Configuration);

builder.Services.AddChatData(builder.Configuration);
builder.Services.AddHotState(builder.Configuration);
builder.Services.AddWorkerRoleServices(builder.Configuration, roles);
builder.Services.AddChatMessaging(builder.Configuration, bus => bus.AddWorkerConsumers(roles));

using var host = builder.Build();
await using (var scope = host.Services.CreateAsyncScope())
{
    await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(CancellationToken.None);
}

if (args.Contains("migrate"))
{
    return;
}

await host.RunAsync();
