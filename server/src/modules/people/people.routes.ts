import {
  CreateMoveChecklistBody,
  CreatePersonBody,
  CreateVehicleBody,
  IdParams,
  MoveChecklist,
  MoveChecklistList,
  MoveChecklistQuery,
  MoveInBody,
  MoveOutBody,
  MyHome,
  Occupancy,
  OccupancyList,
  Ok,
  Person,
  PersonListQuery,
  PersonPage,
  RevealBody,
  RevealResult,
  SearchQuery,
  SearchResult,
  UpdateMoveChecklistBody,
  UpdatePersonBody,
  UpdateVehicleBody,
  Vehicle,
  VehicleListQuery,
  VehiclePage,
} from '@courtyard/contracts';
import { problemResponses, type App } from '../../core/http/server.js';
import type { PeopleService } from './people.service.js';

const r = <T>(schema: T) => ({ 200: schema, ...problemResponses });
const created = <T>(schema: T) => ({ 201: schema, ...problemResponses });
const read = { access: 'people.person.read' as const };
const manage = { access: 'people.person.manage' as const };

export function peopleRoutes(app: App, deps: { people: PeopleService }) {
  const { people } = deps;
  const tags = ['people'];

  app.get('/api/persons', { schema: { tags, summary: 'Persons in the caller’s communities, by name (personal numbers masked)', querystring: PersonListQuery, response: r(PersonPage) }, config: read }, (request) =>
    people.listPersons(request.ctx, request.query),
  );
  app.get('/api/persons/:id', { schema: { tags, summary: 'One person (masked)', params: IdParams, response: r(Person) }, config: read }, (request) => people.getPerson(request.ctx, request.params.id));
  app.post('/api/persons', { schema: { tags, summary: 'Register a person in a community', body: CreatePersonBody, response: created(Person) }, config: manage }, async (request, reply) =>
    reply.code(201).send(await people.createPerson(request.ctx, request.body)),
  );
  app.patch('/api/persons/:id', { schema: { tags, summary: 'Edit a person', params: IdParams, body: UpdatePersonBody, response: r(Person) }, config: manage }, (request) =>
    people.updatePerson(request.ctx, request.params.id, request.body),
  );
  app.post(
    '/api/persons/:id/reveal',
    { schema: { tags, summary: 'The clear phone, ID number or emergency phone; every reveal is audited', params: IdParams, body: RevealBody, response: r(RevealResult) }, config: { access: 'people.person.reveal' } },
    (request) => people.reveal(request.ctx, request.params.id, request.body),
  );

  app.get('/api/persons/:id/occupancies', { schema: { tags, summary: 'The person’s rooms and spaces, past included', params: IdParams, response: r(OccupancyList) }, config: read }, async (request) => ({
    items: await people.occupanciesOfPerson(request.ctx, request.params.id),
  }));
  app.get('/api/rooms/:id/occupancies', { schema: { tags, summary: 'Everyone who lives or lived in the room', params: IdParams, response: r(OccupancyList) }, config: read }, async (request) => ({
    items: await people.occupanciesOfRoom(request.ctx, request.params.id),
  }));
  app.get('/api/parking-spaces/:id/occupancies', { schema: { tags, summary: 'Holders of the parking space, past included', params: IdParams, response: r(OccupancyList) }, config: read }, async (request) => ({
    items: await people.occupanciesOfSpace(request.ctx, request.params.id),
  }));
  app.post('/api/occupancies', { schema: { tags, summary: 'Move in: a person takes a room or parking space', body: MoveInBody, response: created(Occupancy) }, config: manage }, async (request, reply) =>
    reply.code(201).send(await people.moveIn(request.ctx, request.body)),
  );
  app.post('/api/occupancies/:id/move-out', { schema: { tags, summary: 'Move out (the occupancy stays in the history)', params: IdParams, body: MoveOutBody, response: r(Occupancy) }, config: manage }, (request) =>
    people.moveOut(request.ctx, request.params.id, request.body.movedOutOn),
  );
  app.post(
    '/api/occupancies/:id/primary-contact',
    { schema: { tags, summary: 'Make this occupant the room’s primary contact (clears the others)', params: IdParams, response: r(Occupancy) }, config: manage },
    (request) => people.setPrimaryContact(request.ctx, request.params.id),
  );

  app.get('/api/vehicles', { schema: { tags, summary: 'Vehicles by plate', querystring: VehicleListQuery, response: r(VehiclePage) }, config: read }, (request) => people.listVehicles(request.ctx, request.query));
  app.post('/api/vehicles', { schema: { tags, summary: 'Register a vehicle', body: CreateVehicleBody, response: created(Vehicle) }, config: manage }, async (request, reply) =>
    reply.code(201).send(await people.createVehicle(request.ctx, request.body)),
  );
  app.patch('/api/vehicles/:id', { schema: { tags, summary: 'Edit a vehicle', params: IdParams, body: UpdateVehicleBody, response: r(Vehicle) }, config: manage }, (request) =>
    people.updateVehicle(request.ctx, request.params.id, request.body),
  );
  app.delete('/api/vehicles/:id', { schema: { tags, summary: 'Remove a vehicle', params: IdParams, response: r(Ok) }, config: manage }, async (request) => {
    await people.deleteVehicle(request.ctx, request.params.id);
    return { ok: true as const };
  });

  app.get('/api/move-checklists', { schema: { tags, summary: 'Move-in / move-out checklists of a room, newest first', querystring: MoveChecklistQuery, response: r(MoveChecklistList) }, config: read }, async (request) => ({
    items: await people.checklistsOfRoom(request.ctx, request.query.roomId),
  }));
  app.post('/api/move-checklists', { schema: { tags, summary: 'Start a checklist with the default items of its kind', body: CreateMoveChecklistBody, response: created(MoveChecklist) }, config: manage }, async (request, reply) =>
    reply.code(201).send(await people.createChecklist(request.ctx, request.body)),
  );
  app.patch('/api/move-checklists/:id', { schema: { tags, summary: 'Tick items and add notes', params: IdParams, body: UpdateMoveChecklistBody, response: r(MoveChecklist) }, config: manage }, (request) =>
    people.updateChecklist(request.ctx, request.params.id, request.body),
  );
  app.post('/api/move-checklists/:id/complete', { schema: { tags, summary: 'Complete the checklist (every item done)', params: IdParams, response: r(MoveChecklist) }, config: manage }, (request) =>
    people.completeChecklist(request.ctx, request.params.id),
  );

  // Any signed-in staff member: the results are limited to what their own grants let them read.
  app.get('/api/search', { schema: { tags, summary: 'Persons (name prefix, exact phone or ID number), rooms (code) and vehicles (plate)', querystring: SearchQuery, response: r(SearchResult) }, config: { access: 'authenticated' } }, async (request) => ({
    items: await people.search(request.ctx, request.query.q, request.query.limit ?? 20),
  }));
  app.get('/api/portal/home', { schema: { tags: ['portal'], summary: 'My current rooms, household, vehicles and parking spaces', response: r(MyHome) }, config: { access: 'portal.self.use' } }, (request) =>
    people.myHome(request.ctx),
  );
}

