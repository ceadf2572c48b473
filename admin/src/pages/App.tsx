import { Page } from '@strapi/strapi/admin';
import { Route, Routes } from 'react-router-dom';

import { PERMISSIONS } from '../permissions';
import { JobDetailPage } from './JobDetailPage';
import { JobsPage } from './JobsPage';

/** The AI Assets menu page: the queue at its root, one job at jobs/:id. */
const App = () => (
  <Page.Protect permissions={PERMISSIONS.read}>
    <Routes>
      <Route index element={<JobsPage />} />
      <Route path="jobs/:id" element={<JobDetailPage />} />
      <Route path="*" element={<Page.Error />} />
    </Routes>
  </Page.Protect>
);

export default App;
