pm.test('status is 200', () => pm.response.to.have.status(200));
pm.test('echoes the user id', () => {
  pm.expect(pm.response.json().path).to.include(pm.variables.get('user_id'));
});
