using EventChat.Api.Auth;
using EventChat.Api.Chat;
using EventChat.Api.Delivery;
using EventChat.Api.Errors;
using EventChat.Api.Health;
using EventChat.Api.Moderation;
using EventChat.Api.Notifications;
using EventChat.Api.Presence;
using EventChat.Api.Retention;
using EventChat.Api.Rooms;
using EventChat.Infrastructure.Data;
using EventChat.Infrastructure.Messaging;
using EventChat.Infrastructure.Redis;
using EventChat.Workers;

var builder = WebApplication.CreateBuilder(args);
var roles = WorkerRoles.FromConfiguration(builder.Configuration);

builder.Services.AddChatData(builder.Configuration);
builder.Services.AddHotState(builder.Configuration);
builder.Services.AddChatAuth(builder.Configuration);
builder.Services.AddChatEdge(builder.Configuration);
builder.Services.AddChatPresence(builder.Configuration);
builder.Services.AddWorkerRoleServices(builder.Configuration, roles);
builder.Services.AddChatMessaging(builder.Configuration, bus =>
{
    bus.AddEdgeDelivery();
    bus.AddWorkerConsumers(roles);
});
builder.Services.AddChatHealthChecks();
builder.Services.AddChatErrors();

var app = builder.Build();
await app.MigrateDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseAuthentication();
app.UseAuthorization();
app.MapAuthEndpoints();
app.MapRoomEndpoints();
app.MapModerationEndpoints();
app.MapNotificationEndpoints();
app.MapPresenceEndpoints();
app.MapRetentionEndpoints();
app.MapHub<ChatHub>("/hubs/chat", hub => hub.AllowStatefulReconnects = true);
app.MapChatHealthChecks();

await app.RunAsync();
